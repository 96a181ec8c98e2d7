using System.Diagnostics;
using System.Globalization;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;
using Xunit.Abstractions;

namespace Corral.Tests.Faults;

/// <summary>
/// A fork bomb, run as an unprivileged user (root is not held by RLIMIT_NPROC) with the
/// service's `rlimits: {nproc: N}`: it fills its quota and keeps retrying. Corral stays up and
/// answers, the other services go on (a crash loop keeps restarting, a steady one is never
/// touched), and `corral ctl stop` leaves no process of the storm and no zombie behind.
/// </summary>
public class ForkStormTests(ITestOutputHelper output)
{
    static string Bin => CorralBinary.Path;

    const int Nobody = 65534;
    const int Quota = 64;

    /// <summary>
    /// The storm: live processes of its process group (the bomb never leaves it), whatever their
    /// parent (many are re-parented to Corral). Other tests may run processes as nobody too.
    /// </summary>
    static IReadOnlyList<int> Storm(int group) =>
        [.. ProcFs.All().Where(e => e.State != 'Z' && Native.GroupOf(e.Pid) == group).Select(e => e.Pid)];

    /// <summary>The real user of a process, or -1 when it is gone.</summary>
    static int UserOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return int.Parse(line[4..].Trim().Split('\t')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or InvalidOperationException) { return -1; }
    }

    [Fact]
    public void A_fork_bomb_held_by_its_nproc_limit_leaves_corral_answering_and_nothing_behind_after_ctl_stop()
    {
        var steady = Gauge.Token();
        // Each b starts a pipeline of two more in the background and returns; bash retries a
        // fork refused with EAGAIN. SECONDS bounds it to a minute if the test cannot stop it.
        var dir = new ConfigDir($$"""
            services:
              storm:
                user: nobody
                rlimits: {nproc: {{Quota}}}
                command: ["bash", "-c", "b() { (( SECONDS < 60 )) && { b | b & }; }; b; exec sleep 60"]
              crash:
                command: ["/bin/false"]
                backoff: {initial: 10ms, factor: 1, max: 10ms}
              steady:
                command: ["sleep", "{{steady}}"]
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        var steadyPid = Corrals.WaitForSleeper(steady);
        Assert.Equal("running", Corrals.Status(run, "steady").State);
        var (fds0, threads0) = (Gauge.Fds(run.Pid), Gauge.Threads(run.Pid));

        // The storm fills its quota (shared with whatever else runs as nobody) and is refused further forks.
        var group = Wait.Until(() => Corrals.Status(run, "storm").Pid, null, "the storm's pid");
        Wait.Until(() => Storm(group).Count >= Quota / 2, null, $"the storm near its quota of {Quota} processes");
        Wait.Until(() => run.Stderr.Contains("fork: retry: Resource temporarily unavailable", StringComparison.Ordinal), null, "a fork refused by the limit");
        var stormPids = Storm(group);
        Assert.True(stormPids.Count <= Quota, $"{stormPids.Count} processes past the quota of {Quota}");
        Assert.All(stormPids, p => Assert.True(UserOf(p) is Nobody or (-1), $"pid {p} of the storm runs as {UserOf(p)}"));

        // Corral answers, and the other services go on while the storm rages.
        var restarts = Corrals.Status(run, "crash").Restarts;
        var sw = Stopwatch.StartNew();
        var storm = Corrals.Status(run, "storm");
        var statusTime = sw.Elapsed;
        Assert.Equal("running", storm.State);
        Wait.Until(() => Corrals.Status(run, "crash").Restarts >= restarts + 10, null, "crash restarting during the storm");
        Assert.Equal(("running", steadyPid, 0), Corrals.Status(run, "steady"));
        Assert.True(ProcFs.Alive(run.Pid), "corral died in the storm");
        var (fds1, threads1) = (Gauge.Fds(run.Pid), Gauge.Threads(run.Pid));
        // One sample may catch several of the crash loop's restarts in flight: the count must come
        // back near the baseline while the storm goes on.
        var fdsStorm = Wait.Until(() => Gauge.Fds(run.Pid) is var n && n <= fds0 + 8 ? n : (int?)null, TimeSpan.FromSeconds(10), $"fds near {fds0} in the storm (one sample: {fds1})");
        var peak = Storm(group).Count;

        // ctl stop: every process of the storm is gone and reaped.
        sw.Restart();
        Assert.Equal(0, Corrals.Ctl(run, "stop", "storm").Code);
        Wait.Until(() => Storm(group).Count == 0, null, "every process of the storm gone after ctl stop");
        var stopTime = sw.Elapsed;
        Assert.NotEqual("running", Corrals.Status(run, "storm").State);
        Assert.Equal(0, Corrals.Ctl(run, "stop", "crash").Code);
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "every exit reaped");
        Wait.Until(() => Gauge.Fds(run.Pid) <= fds0, null, $"fds back to at most {fds0}");
        var threads2 = Gauge.Threads(run.Pid);
        output.WriteLine($"storm at {peak} processes (quota {Quota}); ctl status in {statusTime.TotalMilliseconds:F0} ms; " +
            $"fds {fds0} -> {fds1} in the storm -> {Gauge.Fds(run.Pid)} after; threads {threads0} -> {threads1} -> {threads2}; all gone {stopTime.TotalMilliseconds:F0} ms after ctl stop");
        // A hang would show as the 30 s client timeout; a loaded machine may take a few seconds.
        Assert.True(statusTime < TimeSpan.FromSeconds(15), $"ctl status took {statusTime}");
        // The crash loop's pipes in flight come and go (up to 4 seen): a few fds either way.
        Assert.True(fdsStorm <= fds0 + 8, $"fds grew from {fds0} to {fdsStorm} in the storm");
        Assert.True(Math.Max(threads1, threads2) <= threads0 + 4, $"threads grew from {threads0} to {threads1}, {threads2}");
        Assert.Equal(("running", steadyPid, 0), Corrals.Status(run, "steady"));

        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(steady);
        Assert.Empty(Storm(group));
    }
}
