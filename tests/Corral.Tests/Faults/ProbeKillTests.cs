using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Faults;

/// <summary>An exec probe killed with SIGKILL while it runs: a failed check, reaped, and the next one decides.</summary>
public class ProbeKillTests
{
    static string Bin => CorralBinary.Path;

    [Fact]
    public void A_readiness_probe_killed_mid_run_is_reaped_counts_as_not_ready_and_the_next_probe_makes_the_service_ready()
    {
        var (main, probe) = (Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir("");
        var ok = dir.File("ok");
        File.WriteAllText(dir.Config, $$"""
            services:
              app:
                shell: true
                command: "echo app up; exec sleep {{main}}"
                readiness_probe:
                  exec: [sh, -c, "test -e {{ok}} || exec sleep {{probe}}"]
                  period: 100ms
                  timeout: 60s
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        var mainPid = Corrals.WaitForSleeper(main);
        var probePid = Corrals.WaitForSleeper(probe);
        Assert.Equal(run.Pid, ProcFs.Read(probePid)?.Ppid);
        Assert.DoesNotContain("app: ready", run.Stderr);
        Native.Kill(probePid, Sig.KILL);
        File.WriteAllText(ok, "");
        Wait.Until(() => run.Stderr.Contains("app: ready", StringComparison.Ordinal), null, "app ready after the next probe");
        Assert.False(ProcFs.Alive(probePid), "the killed probe is still alive");
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "the killed probe reaped");
        Assert.Equal(("running", mainPid, 0), Corrals.Status(run, "app"));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(main, probe);
    }

    [Fact]
    public void A_liveness_probe_killed_mid_run_restarts_the_service_once_its_threshold_is_reached_and_corral_stays_up()
    {
        var (main, probe) = (Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir($$"""
            services:
              app:
                shell: true
                command: "echo app up; exec sleep {{main}}"
                liveness_probe:
                  exec: [sleep, "{{probe}}"]
                  period: 100ms
                  timeout: 60s
                  failure_threshold: 1
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        var mainPid = Corrals.WaitForSleeper(main);
        var probePid = Corrals.WaitForSleeper(probe);
        Native.Kill(probePid, Sig.KILL);
        // One failed check (killed) reaches the threshold of 1: the service is restarted, a new probe runs.
        Wait.Until(() => Gauge.Sleeping(main) is [var p] && p != mainPid, null, "app restarted");
        Wait.Until(() => Gauge.Sleeping(probe) is [var p] && p != probePid, null, "a new probe");
        Assert.Equal(1, Corrals.Status(run, "app").Restarts);
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "every exit reaped");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(main, probe);
    }
}
