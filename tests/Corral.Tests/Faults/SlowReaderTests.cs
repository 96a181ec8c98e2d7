using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;
using Xunit.Abstractions;

namespace Corral.Tests.Faults;

/// <summary>
/// A service floods stdout at full speed while Corral's own stdout is a pipe that is not read at
/// all for a while, then read slowly, then fast. Corral holds a bounded amount (the flood waits
/// in its pipe), takes what exited services left in theirs, drops beyond its limit only with a
/// count written where the lines went missing, and supervises the rest all the while.
/// </summary>
public partial class SlowReaderTests(ITestOutputHelper output)
{
    const int FloodLines = 200_000;
    const int SpillRuns = 150, SpillLines = 500;
    // OutputQueue.MaxHeld: what Corral may hold for its stdout before it drops.
    const long MaxHeld = 4 << 20;

    [GeneratedRegex(@"^flood +\| (\d+) x+$")] private static partial Regex FloodLine();
    [GeneratedRegex(@"^spill +\| (\d+) (\d+) y+$")] private static partial Regex SpillLine();
    [GeneratedRegex(@"^\[corral\] warning: (\d+) lines? dropped here: Corral's stdout was not read fast enough")] private static partial Regex Gap();

    sealed class Tally
    {
        public int NextFlood = 1;
        public readonly List<string> Unexpected = [];
        public readonly HashSet<(int Run, int Line)> Spilled = [];
        public long Dropped;
        public int Gaps;
    }

    [Fact]
    public void A_flood_while_corrals_stdout_stalls_then_reads_slowly_is_held_back_bounded_and_nothing_is_lost_uncounted()
    {
        var (steady, spillDone) = (Gauge.Token(), Gauge.Token());
        var dir = new ConfigDir("");
        var pad = new string('x', 80);
        // spill: 150 runs that each write 500 lines and exit at once (nothing to hold back: what
        // is in its pipe must be taken or dropped), then it sleeps.
        File.WriteAllText(dir.Config, $$"""
            services:
              flood:
                type: oneshot
                command: ["seq", "-f", "%.0f {{pad}}", "1", "{{FloodLines}}"]
              spill:
                shell: true
                command: "n=$$(cat {{dir.File("runs")}} 2>/dev/null || echo 0); [ $$n -ge {{SpillRuns}} ] && exec sleep {{spillDone}}; echo $$((n+1)) > {{dir.File("runs")}}; seq -f \"$$((n+1)) %.0f {{new string('y', 80)}}\" 1 {{SpillLines}}; exit 1"
                backoff: {initial: 1ms, factor: 1, max: 1ms}
              crash:
                shell: true
                command: "echo crashed >&2; exit 1"
                backoff: {initial: 10ms, factor: 1, max: 10ms}
              steady:
                command: ["sleep", "{{steady}}"]
            """);
        var tally = new Tally();
        void OnLine(string line)
        {
            lock (tally)
            {
                if (FloodLine().Match(line) is { Success: true } f)
                {
                    var n = int.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture);
                    if (n == tally.NextFlood) tally.NextFlood++;
                    else tally.Unexpected.Add($"flood line {n} where {tally.NextFlood} was due");
                }
                else if (SpillLine().Match(line) is { Success: true } s)
                {
                    if (!tally.Spilled.Add((int.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(s.Groups[2].Value, CultureInfo.InvariantCulture))))
                        tally.Unexpected.Add("twice: " + line);
                }
                else if (Gap().Match(line) is { Success: true } g)
                {
                    tally.Dropped += long.Parse(g.Groups[1].Value, CultureInfo.InvariantCulture);
                    tally.Gaps++;
                }
                else if (tally.Unexpected.Count < 20) tally.Unexpected.Add("unexpected: " + line);
            }
        }
        using var corral = new PacedStdout(["run", "-c", dir.Config], OnLine);
        var steadyPid = Corrals.WaitForSleeper(steady);
        Assert.Equal("running", Corrals.StatusIn(corral.RunDirectory, "steady").State);
        var (fds0, threads0, rss0) = (Gauge.Fds(corral.Pid), Gauge.Threads(corral.Pid), Gauge.RssKb(corral.Pid));
        var (fdsMax, rssMax) = (fds0, rss0);
        void Sample()
        {
            fdsMax = Math.Max(fdsMax, Gauge.Fds(corral.Pid));
            rssMax = Math.Max(rssMax, Gauge.RssKb(corral.Pid));
        }
        int CrashLines() => corral.StderrLines.Count(l => l.EndsWith("| crashed", StringComparison.Ordinal));

        // 1. Stdout not read at all. The flood blocks in its pipe; spill's runs are taken and,
        // past Corral's limit, dropped; stderr (Corral's messages, crash's lines) goes on.
        var floodPid = Wait.Until(() => ProcFs.All().FirstOrDefault(e => e.Comm == "seq" && ProcFs.Cmdline(e.Pid).Contains(pad, StringComparison.Ordinal))?.Pid, null, "the flood's seq");
        Wait.Until(() => { Sample(); return Gauge.Sleeping(spillDone).Count == 1; }, TimeSpan.FromSeconds(90), $"spill's {SpillRuns} runs done");
        var crashed = CrashLines();
        Wait.Until(() => { Sample(); return CrashLines() >= crashed + 20; }, TimeSpan.FromSeconds(60), "crash's stderr going on while stdout stalls");
        // (Where the kernel does not say what a process waits on, wchan reads 0: the bound below holds all the same.)
        Wait.Until(() => { Sample(); return Wchan(floodPid) is var w && (w == "0" || w.Contains("pipe_write", StringComparison.Ordinal)); }, null, "the flood blocked in its pipe");
        var held = WrittenBy(floodPid);
        var sw = Stopwatch.StartNew();
        var crash = Corrals.StatusIn(corral.RunDirectory, "crash");
        var statusTime = sw.Elapsed;
        Sample();
        output.WriteLine($"stalled: corral {fds0} -> max {fdsMax} fds, {rss0} -> max {rssMax} kB RSS; the flood wrote {held} bytes, none read; crash restarted {crash.Restarts} times; ctl status took {statusTime.TotalMilliseconds:F0} ms");
        Assert.Equal(0, corral.BytesRead);
        // Back-pressure: Corral held at most its limit and a pipe or two of the flood's 20 MB.
        Assert.True(held <= MaxHeld + (1 << 20), $"the flood got {held} bytes out while nothing was read");
        Assert.True(fdsMax <= fds0 + 16, $"fds grew from {fds0} to {fdsMax} while stdout stalled");
        Assert.True(rssMax <= rss0 + 32 * 1024, $"RSS grew from {rss0} kB to {rssMax} kB");
        // A hang would show as the 30 s client timeout; a loaded machine may take a few seconds.
        Assert.True(statusTime < TimeSpan.FromSeconds(15), $"ctl status took {statusTime}");

        // 2. Read slowly: 4 KB, a pause, and again, for 2 MB.
        corral.Pace(2, 4096);
        var restarts = crash.Restarts;
        Wait.Until(() => { Sample(); return corral.BytesRead >= 2 << 20; }, TimeSpan.FromSeconds(120), "2 MB read slowly");
        Wait.Until(() => Corrals.StatusIn(corral.RunDirectory, "crash").Restarts > restarts, null, "crash restarting while stdout is read slowly");
        Assert.True(rssMax <= rss0 + 32 * 1024, $"RSS grew from {rss0} kB to {rssMax} kB");
        Assert.True(Gauge.Fds(corral.Pid) <= fds0 + 16, $"fds grew from {fds0} to {Gauge.Fds(corral.Pid)} while stdout was read slowly");

        // 3. Catch up: every line of the flood arrives, in order; spill's are there or counted.
        corral.Pace(0, 1 << 16);
        Wait.Until(() => { lock (tally) return tally.NextFlood > FloodLines; }, TimeSpan.FromSeconds(120), "every flood line");
        Wait.Until(() => Corrals.StatusIn(corral.RunDirectory, "flood").State == "succeeded", null, "flood succeeded");
        Assert.Equal(("running", steadyPid, 0), Corrals.StatusIn(corral.RunDirectory, "steady"));
        var threads1 = Gauge.Threads(corral.Pid);
        corral.Signal(Sig.TERM);
        Assert.Equal(0, corral.WaitForExit(TimeSpan.FromSeconds(60)));
        Corrals.AssertGone(steady, spillDone);
        lock (tally)
        {
            output.WriteLine($"{tally.NextFlood - 1} flood lines in order; spill: {tally.Spilled.Count} of {SpillRuns * SpillLines} lines arrived, {tally.Dropped} counted as dropped in {tally.Gaps} gaps; threads {threads0} -> {threads1}");
            Assert.Empty(tally.Unexpected);
            Assert.Equal(FloodLines + 1, tally.NextFlood);
            // Spill's lines beyond what Corral may hold were dropped, and every one is counted.
            Assert.True(tally.Dropped > 0, "nothing was dropped: the stall did not reach Corral's limit");
            Assert.Equal(SpillRuns * SpillLines, tally.Spilled.Count + tally.Dropped);
        }
        Assert.True(threads1 <= threads0 + 4, $"threads grew from {threads0} to {threads1}");
    }

    [Fact]
    public void At_exit_with_stdout_not_read_corral_exits_in_bounded_time_and_says_on_stderr_how_many_lines_never_got_out()
    {
        var dir = new ConfigDir($$"""
            log_format: json
            services:
              talk:
                command: ["seq", "-f", "%.0f {{new string('z', 60)}}", "1", "1000000"]
            """);
        var lines = new List<string>();
        using var corral = new PacedStdout(["run", "-c", dir.Config], l => { lock (lines) lines.Add(l); });
        var talk = Wait.Until(() => ProcFs.All().FirstOrDefault(e => e.Comm == "seq" && ProcFs.Cmdline(e.Pid).Contains(new string('z', 60), StringComparison.Ordinal))?.Pid, null, "talk's seq");
        // Past 512 KB written (1 MB and more as JSON lines), with only two 64 KB pipes on the way,
        // Corral's queue for its stdout holds lines it cannot write.
        Wait.Until(() => WrittenBy(talk) >= 512 * 1024, null, "talk's first 512 KB");
        var sw = Stopwatch.StartNew();
        corral.Signal(Sig.TERM);
        Assert.Equal(0, corral.WaitForExitUnread(TimeSpan.FromSeconds(30)));
        output.WriteLine($"exited {sw.Elapsed.TotalMilliseconds:F0} ms after SIGTERM with nothing read");
        // Bounded: the stop, a second for the pipes and a second for the outputs, on a loaded machine.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"exit took {sw.Elapsed}");
        // Said in the config's log format, on the output that was read.
        var said = corral.StderrLines.SingleOrDefault(l => l.Contains("for Corral's stdout were not written, or only in part: it was not being read when Corral exited", StringComparison.Ordinal));
        Assert.True(said is not null, $"no word of the unwritten lines on stderr:\n{corral.Stderr}");
        using (var json = System.Text.Json.JsonDocument.Parse(said))
            Assert.Equal("warning", json.RootElement.GetProperty("level").GetString());
        // What was in the pipe is whole JSON lines, but for the last, which the exit may have cut
        // off in the middle of a write the pipe took only in part.
        corral.ReadToEnd(TimeSpan.FromSeconds(30));
        lock (lines)
        {
            Assert.True(lines.Count > 1, $"{lines.Count} lines in the pipe");
            foreach (var line in lines[..^1])
                using (var json = System.Text.Json.JsonDocument.Parse(line)) Assert.Equal("talk", json.RootElement.GetProperty("service").GetString());
            // Cut anywhere, even inside its first bytes ("{\"" was seen).
            const string start = "{\"time\":";
            Assert.True(lines[^1].StartsWith(start, StringComparison.Ordinal) || start.StartsWith(lines[^1], StringComparison.Ordinal), $"last line: {lines[^1]}");
        }
    }

    static string Wchan(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/wchan"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    /// <summary>Bytes a process has written (wchar of /proc/PID/io).</summary>
    static long WrittenBy(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/io").First(l => l.StartsWith("wchar:", StringComparison.Ordinal))[6..].Trim(), CultureInfo.InvariantCulture);
}
