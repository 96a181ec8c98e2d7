using System.Diagnostics;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Faults;

/// <summary>Processes that ignore SIGTERM are killed at their stop timeout (or the sweep's grace), and Corral's exit is bounded.</summary>
public class StopTimeoutTests
{
    static string Bin => CorralBinary.Path;

    [Fact]
    public void Ctl_stop_kills_a_service_and_its_child_that_ignore_TERM_at_the_stop_timeout()
    {
        var (main, child) = (Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir($$"""
            services:
              stubborn:
                shell: true
                command: "trap '' TERM; sleep {{child}} & echo up; exec sleep {{main}}"
                stop: {timeout: 300ms}
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        var mainPid = Corrals.WaitForSleeper(main);
        Corrals.WaitForSleeper(child);
        // The TERM is really ignored (inherited SIG_IGN), not caught.
        Assert.Equal(1UL << (Sig.TERM - 1), SignalsIgnored(mainPid) & (1UL << (Sig.TERM - 1)));
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Corrals.Ctl(run, "stop", "stubborn").Code);
        Wait.Until(() => Gauge.Sleeping(main).Count == 0 && Gauge.Sleeping(child).Count == 0, null, "both killed");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stop took {clock.Elapsed}");
        Wait.Until(() => run.Stderr.Contains("did not stop within 300ms: sending SIGKILL", StringComparison.Ordinal), null, "the SIGKILL said");
        Assert.Equal(("exited", null, 0), Corrals.Status(run, "stubborn"));
        Assert.Empty(Gauge.Zombies(run.Pid));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void Shutdown_with_TERM_ignored_in_the_group_and_outside_it_is_bounded_and_leaves_nothing()
    {
        var (main, escapee, hidden) = (Gauge.Token(), Gauge.Token(), Gauge.Token());
        // All three ignore TERM (inherited). The hidden one double-forked with a cleared
        // environment: nothing says which service it came from.
        var dir = new ConfigDir($$"""
            services:
              stubborn:
                shell: true
                command: "trap '' TERM; setsid sleep {{escapee}} & (env -i /usr/bin/setsid sleep {{hidden}} &); echo up; exec sleep {{main}}"
                stop: {timeout: 300ms}
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        Corrals.WaitForSleeper(main);
        Corrals.WaitForSleeper(escapee);
        Corrals.WaitForSleeper(hidden);
        var clock = Stopwatch.StartNew();
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(20)));
        // The 300 ms stop timeout kills the service's group; at shutdown the processes outside it
        // are left to the final sweep: SIGKILL after its 2 s grace.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"shutdown took {clock.Elapsed}");
        Assert.Contains("did not stop within 300ms: sending SIGKILL", run.Stderr);
        Assert.Contains("leftover processes did not exit: sending SIGKILL", run.Stderr);
        Corrals.AssertGone(main, escapee, hidden);
    }

    static ulong SignalsIgnored(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return Convert.ToUInt64(line[7..].Trim(), 16);
    }
}
