using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Faults;

/// <summary>
/// Services whose processes leave the service's process group: a classic daemon (double fork
/// and setsid, re-parented to Corral) and a child that calls setsid. Nothing of theirs outlives Corral.
/// </summary>
public class DaemonTests
{
    static string Bin => CorralBinary.Path;

    static (ConfigDir Dir, string Daemon, string Escapee, string Main) Service()
    {
        var (daemon, escapee, main) = (Gauge.Token(), Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir($$"""
            services:
              svc:
                shell: true
                command: "(setsid sleep {{daemon}} &); setsid sleep {{escapee}} & echo up; exec sleep {{main}}"
            """);
        return (dir, daemon, escapee, main);
    }

    [Fact]
    public void A_double_forked_daemon_and_a_setsid_child_are_gone_after_shutdown_as_subreaper()
    {
        var (dir, daemon, escapee, main) = Service();
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        var daemonPid = Corrals.WaitForSleeper(daemon);
        var escapeePid = Corrals.WaitForSleeper(escapee);
        var mainPid = Corrals.WaitForSleeper(main);
        // The daemon's parent exited: it was re-parented to Corral, a child subreaper.
        Wait.Until(() => ProcFs.Read(daemonPid)?.Ppid == run.Pid, null, "the daemon re-parented to corral");
        // Both left the service's process group and session.
        Assert.NotEqual(Native.GroupOf(mainPid), Native.GroupOf(daemonPid));
        Assert.NotEqual(Native.GroupOf(mainPid), Native.GroupOf(escapeePid));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(daemon, escapee, main);
    }

    [Fact]
    public void A_double_forked_daemon_and_a_setsid_child_are_gone_after_shutdown_as_pid_1()
    {
        var (dir, daemon, escapee, main) = Service();
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", Bin, "run", "-v", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        var corral = ProcFs.WaitForOnlyChild(run.Pid);
        Corrals.WaitForSleeper(daemon);
        Corrals.WaitForSleeper(escapee);
        Corrals.WaitForSleeper(main);
        Native.Kill(corral, Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(daemon, escapee, main);
        // Corral swept them itself (SIGTERM to every remaining process), not the kernel at its exit.
        Assert.Contains("sweeping leftover processes", run.Stderr);
        Assert.DoesNotContain("did not exit: sending SIGKILL", run.Stderr);
    }

    [Fact]
    public void Ctl_stop_ends_a_double_forked_process_left_in_the_services_group()
    {
        var (orphan, main) = (Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir($$"""
            services:
              svc:
                shell: true
                command: "(sleep {{orphan}} &); echo up; exec sleep {{main}}"
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        var orphanPid = Corrals.WaitForSleeper(orphan);
        Corrals.WaitForSleeper(main);
        // Its parent is gone: it is Corral's child now, no longer below the service's process.
        Wait.Until(() => ProcFs.Read(orphanPid)?.Ppid == run.Pid, null, "the orphan re-parented to corral");
        Assert.Equal(0, Corrals.Ctl(run, "stop", "svc").Code);
        Wait.Until(() => Gauge.Sleeping(main).Count == 0 && Gauge.Sleeping(orphan).Count == 0, null, "the service and its orphan gone after ctl stop");
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "both reaped");
        Assert.Equal(("exited", null, 0), Corrals.Status(run, "svc"));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void Ctl_stop_ends_a_double_forked_setsid_daemon_and_a_setsid_child_and_leaves_another_services_alone()
    {
        var (dir, daemon, escapee, main) = Service();
        var (otherDaemon, otherEscapee, otherMain) = (Gauge.Token(), Gauge.Token(), Gauge.Token());
        File.AppendAllText(dir.Config, $$"""

              other:
                shell: true
                command: "(setsid sleep {{otherDaemon}} &); setsid sleep {{otherEscapee}} & exec sleep {{otherMain}}"

            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        var daemonPid = Corrals.WaitForSleeper(daemon);
        Corrals.WaitForSleeper(escapee);
        var mainPid = Corrals.WaitForSleeper(main);
        var others = new[] { otherDaemon, otherEscapee, otherMain }.Select(Corrals.WaitForSleeper).ToArray();
        Wait.Until(() => ProcFs.Read(daemonPid)?.Ppid == run.Pid, null, "the daemon re-parented to corral");
        // Out of the service's process group: a signal to the group misses them.
        Assert.NotEqual(Native.GroupOf(mainPid), Native.GroupOf(daemonPid));

        Assert.Equal(0, Corrals.Ctl(run, "stop", "svc").Code);
        Wait.Until(() => new[] { daemon, escapee, main }.All(t => Gauge.Sleeping(t).Count == 0), null, "the service, its setsid child and its daemon gone after ctl stop");
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "all reaped");
        Assert.Equal(("exited", null, 0), Corrals.Status(run, "svc"));
        // The other service's daemon and setsid child have the same shape and are untouched.
        Assert.Equal(others, new[] { otherDaemon, otherEscapee, otherMain }.Select(t => Gauge.Sleeping(t).Single()).ToArray());
        Assert.Equal(("running", others[2], 0), Corrals.Status(run, "other"));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(otherDaemon, otherEscapee, otherMain);
    }

    [Fact]
    public void Ctl_stop_kills_a_daemon_ignoring_TERM_once_the_services_process_has_exited()
    {
        var (daemon, main) = (Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir($$"""
            services:
              svc:
                shell: true
                stop: {timeout: 30s}
                command: "(setsid sh -c 'trap \"\" TERM; sleep {{daemon}}' &); echo up; exec sleep {{main}}"
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        Corrals.WaitForSleeper(daemon);
        Corrals.WaitForSleeper(main);
        Assert.Equal(0, Corrals.Ctl(run, "stop", "svc").Code);
        // The service's process left at TERM; what is left of the service is killed then, not at the 30 s stop timeout.
        Wait.Until(() => Gauge.Sleeping(daemon).Count == 0 && Gauge.Sleeping(main).Count == 0, TimeSpan.FromSeconds(20), "the daemon killed once the service's process exited");
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "all reaped");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }
}
