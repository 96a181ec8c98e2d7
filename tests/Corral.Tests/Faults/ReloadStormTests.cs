using System.Globalization;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;
using Xunit.Abstractions;

namespace Corral.Tests.Faults;

/// <summary>
/// A reload every 100 ms, alternating between two versions of the config (one service's command
/// changed, one service added and removed), while a service crashes in a loop. Corral stays up,
/// a service whose spec never changed is the same process throughout, the changed ones end as
/// the last version says, nothing leaks, and the shutdown is clean.
/// </summary>
public class ReloadStormTests(ITestOutputHelper output)
{
    static string Bin => CorralBinary.Path;

    /// <summary>10 s in CI; CORRAL_FAULT_RELOAD_SECONDS=60 for the minute.</summary>
    static int Seconds =>
        int.TryParse(Environment.GetEnvironmentVariable("CORRAL_FAULT_RELOAD_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10;

    static string Version(string steady, string flip, string extra, bool withExtra) => $$"""
        services:
          steady:
            command: ["sleep", "{{steady}}"]
          crash:
            command: ["/bin/false"]
            backoff: {initial: 1ms, factor: 1, max: 1ms}
          flip:
            command: ["sleep", "{{flip}}"]
        {{(withExtra ? $"  extra:\n    command: [\"sleep\", \"{extra}\"]\n" : "")}}
        """;

    [Fact]
    public void Reloads_every_100_ms_while_a_service_crashes_leave_unchanged_services_alone_and_end_as_the_last_config()
    {
        var (steady, flipA, flipB, extra) = (Gauge.Token(), Gauge.Token(), Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir(Version(steady, flipA, extra, withExtra: true));
        // The file is replaced whole (rename), as an editor or a config management tool does:
        // Corral never reads half of one.
        void Write(bool a)
        {
            var next = dir.File("next.yaml");
            File.WriteAllText(next, a ? Version(steady, flipA, extra, withExtra: true) : Version(steady, flipB, extra, withExtra: false));
            File.Move(next, dir.Config, overwrite: true);
        }
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        var steadyPid = Corrals.WaitForSleeper(steady);
        Corrals.WaitForSleeper(flipA);
        Corrals.WaitForSleeper(extra);
        Assert.Equal("running", Corrals.Status(run, "steady").State);
        var (fds0, threads0, rss0) = (Gauge.Fds(run.Pid), Gauge.Threads(run.Pid), Gauge.RssKb(run.Pid));

        // Every 100 ms (the pace of the storm, not a wait for anything): B, A, B, A …, every
        // tenth by `corral ctl reload`, the others by SIGHUP; it ends on B.
        var rounds = Seconds * 10;
        var (signalled, asked) = (0, 0);
        for (var i = 1; i <= rounds; i++)
        {
            Write(a: i % 2 == 0 && i != rounds);
            if (i % 10 == 5)
            {
                var r = Corrals.Ctl(run, "reload");
                Assert.True(r.Code == 0, $"ctl reload failed ({r.Code}): {r.Stdout}\n{r.Stderr}");
                asked++;
            }
            else
            {
                run.Signal(Sig.HUP);
                signalled++;
            }
            Assert.True(ProcFs.Alive(run.Pid), $"corral died after {i} reloads");
            Thread.Sleep(100);
        }

        // The last version: flip runs its B command, extra is gone, steady was never touched.
        var flipPid = Corrals.WaitForSleeper(flipB);
        Wait.Until(() => Gauge.Sleeping(flipA).Count == 0 && Gauge.Sleeping(extra).Count == 0, null, "flip's A command and extra gone");
        Wait.Until(() => !Corrals.Ctl(run, "status").Stdout.Split('\n').Any(l => l.StartsWith("extra ", StringComparison.Ordinal)), null, "extra forgotten");
        Wait.Until(() => Corrals.Status(run, "flip") is ("running", var p, _) && p == flipPid, null, "flip running its B command");
        Assert.Equal(("running", steadyPid, 0), Corrals.Status(run, "steady"));
        Assert.Equal([steadyPid], Gauge.Sleeping(steady));
        var crashes = Corrals.Status(run, "crash").Restarts;
        Assert.True(crashes > 0, "the crash loop did not run");
        var reloads = run.Stderr.Split('\n').Count(l => l.Contains(": reloading ", StringComparison.Ordinal));

        // Nothing left: every exit reaped, fds and threads back where they were.
        Assert.Equal(0, Corrals.Ctl(run, "stop", "crash").Code);
        Wait.Until(() => Gauge.Zombies(run.Pid).Count == 0, null, "every exit reaped");
        Wait.Until(() => Gauge.Fds(run.Pid) <= fds0, null, $"fds back to at most {fds0}");
        var (fds1, threads1, rss1) = (Gauge.Fds(run.Pid), Gauge.Threads(run.Pid), Gauge.RssKb(run.Pid));
        output.WriteLine($"{rounds} reloads in {Seconds} s ({signalled} SIGHUP, {asked} ctl reload; {reloads} said), {crashes} crash restarts: " +
            $"fds {fds0} -> {fds1}, threads {threads0} -> {threads1}, RSS {rss0} -> {rss1} kB");
        // Every ctl reload is answered, so said; SIGHUPs that came while the loop was busy merge
        // (a standard signal is pending once), so not every one is.
        Assert.True(reloads >= asked, $"only {reloads} reloads said of {rounds} ({asked} by ctl reload)");
        Assert.True(threads1 <= threads0 + 4, $"threads grew from {threads0} to {threads1}");
        Assert.True(rss1 <= rss0 + 16 * 1024, $"RSS grew from {rss0} kB to {rss1} kB");

        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(steady, flipA, flipB, extra);
    }
}
