using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;
using Xunit.Abstractions;

namespace Corral.Tests.Faults;

/// <summary>
/// Thousands of signals at Corral while services run: the ones it handles (SIGHUP reloads), the
/// ones it forwards (SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT) and the one its reaper owns (SIGCHLD).
/// A service crashes in a loop all the while, so the reloads meet restarts. Corral stays up,
/// answers `corral ctl status`, leaks nothing, and still shuts down on SIGTERM.
/// </summary>
public class SignalStormTests(ITestOutputHelper output)
{
    static string Bin => CorralBinary.Path;

    const int Rounds = 1000;
    static readonly int[] Storm = [Sig.HUP, Sig.USR1, Sig.USR2, Sig.WINCH, Sig.CHLD, Sig.CONT];

    void StormAt(int corral, Run run, string token)
    {
        var pid = Corrals.WaitForSleeper(token);
        // The ctl connection itself opens and closes an fd: measure after one round trip. (As
        // PID 1, Corral sees the service's pid in its own namespace, so that is compared.)
        var before = Corrals.Status(run, "svc");
        Assert.Equal("running", before.State);
        var (fds0, threads0) = (Gauge.Fds(corral), Gauge.Threads(corral));
        for (var i = 0; i < Rounds; i++)
            foreach (var sig in Storm)
                Assert.Equal(0, Native.TryKill(corral, sig));
        Assert.True(ProcFs.Alive(corral), "corral died in the storm");
        // Every reload finds the same config: the service is the same process, never restarted.
        Assert.Equal(before with { Restarts = 0 }, Corrals.Status(run, "svc"));
        Assert.Equal([pid], Gauge.Sleeping(token));
        // The crash loop's pipes in flight come and go: a few fds either way, never one per signal.
        Wait.Until(() => Gauge.Fds(corral) <= fds0 + 4, null, $"fds back near {fds0}");
        Assert.True(Corrals.Status(run, "crash").Restarts > 0, "the crash loop did not run");
        var (fds1, threads1) = (Gauge.Fds(corral), Gauge.Threads(corral));
        output.WriteLine($"{Rounds * Storm.Length} signals: fds {fds0} -> {fds1}, threads {threads0} -> {threads1}");
        Assert.True(threads1 <= threads0 + 4, $"threads grew from {threads0} to {threads1}");
    }

    static ConfigDir Config(string token) => new($$"""
        services:
          svc:
            shell: true
            command: "trap '' HUP USR1 USR2 WINCH; echo up; exec sleep {{token}}"
          crash:
            command: ["/bin/false"]
            backoff: {initial: 1ms, factor: 1, max: 1ms}
        """);

    [Fact]
    public void Six_thousand_signals_at_corral_as_subreaper_leave_it_up_and_answering()
    {
        var token = Gauge.Token();
        var dir = Config(token);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        StormAt(run.Pid, run, token);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(token);
    }

    [Fact]
    public void Six_thousand_signals_at_corral_as_pid_1_leave_it_up_and_answering()
    {
        var token = Gauge.Token();
        var dir = Config(token);
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", Bin, "run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        var corral = ProcFs.WaitForOnlyChild(run.Pid);
        StormAt(corral, run, token);
        Native.Kill(corral, Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(token);
    }
}
