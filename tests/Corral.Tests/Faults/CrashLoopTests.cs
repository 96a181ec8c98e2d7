using System.Globalization;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;
using Xunit.Abstractions;

namespace Corral.Tests.Faults;

/// <summary>
/// A service that exits at once, restarted every millisecond thousands of times: Corral's file
/// descriptors and threads stay flat and its memory bounded, no exit is left unreaped, and the
/// other services never notice.
/// </summary>
public class CrashLoopTests(ITestOutputHelper output)
{
    static string Bin => CorralBinary.Path;

    /// <summary>2,000 in CI; CORRAL_FAULT_RESTARTS=10000 for the long run.</summary>
    static int Restarts =>
        int.TryParse(Environment.GetEnvironmentVariable("CORRAL_FAULT_RESTARTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2000;

    const int WarmUp = 200;

    [Fact]
    public void Thousands_of_restarts_leave_fds_and_threads_flat_and_memory_bounded()
    {
        var steady = Gauge.Token();
        var dir = new ConfigDir($$"""
            services:
              crash:
                command: ["/bin/false"]
                backoff: {initial: 1ms, factor: 1, max: 1ms}
              steady:
                command: ["sleep", "{{steady}}"]
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        var steadyPid = Corrals.WaitForSleeper(steady);
        int Counted() => run.Stderr.Split('\n').Count(l => l.Contains("crash: ", StringComparison.Ordinal) && l.Contains("restarting in 1ms", StringComparison.Ordinal));

        Wait.Until(() => Counted() >= WarmUp, TimeSpan.FromMinutes(2), $"{WarmUp} restarts");
        // The control server sets up its poller and socket at its first connection: one round trip
        // before the baseline, so they are counted in it.
        Assert.Equal("running", Corrals.Status(run, "steady").State);
        var (fds0, threads0, rss0) = (Gauge.Fds(run.Pid), Gauge.Threads(run.Pid), Gauge.RssKb(run.Pid));
        Wait.Until(() => Counted() >= WarmUp + Restarts, TimeSpan.FromSeconds(60 + Restarts / 20), $"{Restarts} more restarts");
        var (fds1, threads1, rss1) = (Gauge.Fds(run.Pid), Gauge.Threads(run.Pid), Gauge.RssKb(run.Pid));
        output.WriteLine($"after {WarmUp} restarts: {fds0} fds, {threads0} threads, {rss0} kB RSS; after {Counted()}: {fds1} fds, {threads1} threads, {rss1} kB RSS");

        // A restart in flight holds its pipes for a moment (several at once on a loaded machine),
        // so one sample may catch a few more: the loop still runs, and the count must come back
        // near the baseline, where a leak of one per restart would be thousands.
        Wait.Until(() => Gauge.Fds(run.Pid) <= fds0 + 4, TimeSpan.FromSeconds(10), $"fds back near {fds0} (one sample: {fds1})");
        Assert.True(threads1 <= threads0 + 4, $"threads grew from {threads0} to {threads1}");
        Assert.True(rss1 <= rss0 + 16 * 1024, $"RSS grew from {rss0} kB to {rss1} kB");

        // The ctl answers, the restart count agrees, and the steady service was never touched.
        var crash = Corrals.Status(run, "crash");
        Assert.True(crash.Restarts >= WarmUp + Restarts, $"ctl status says {crash.Restarts} restarts");
        Assert.Equal(("running", steadyPid, 0), Corrals.Status(run, "steady"));
        Assert.Equal(0, Corrals.Ctl(run, "stop", "crash").Code);
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "every exit reaped");
        Assert.Empty(Gauge.Zombies(run.Pid));
        Wait.Until(() => Gauge.Fds(run.Pid) <= fds0, null, $"fds back to at most {fds0} once crash is stopped");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(steady);
    }
}
