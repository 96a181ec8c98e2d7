using System.Text.RegularExpressions;

namespace Corral.Core.Tests.Source;

/// <summary>
/// One clock: durations, timeouts and deadlines are measured on the monotonic clock
/// (Corral.Os/MonotonicClock.cs); wall time, for display only, is read in Corral.Os/WallClock.cs.
/// No other product file reads a clock, so a duration can never be taken from wall time.
/// </summary>
public class OneClockTests
{
    static readonly string[] ClockFiles = ["src/Corral.Os/MonotonicClock.cs", "src/Corral.Os/WallClock.cs"];

    static IEnumerable<string> Product =>
        SourceFiles.Under("src").Where(f => !ClockFiles.Any(c => f.EndsWith(c, StringComparison.Ordinal)));

    [Fact]
    public void The_two_clock_files_exist()
    {
        foreach (var file in ClockFiles) Assert.True(File.Exists(Path.Combine(SourceFiles.Root, file)), file);
    }

    [Fact]
    public void No_product_file_but_the_two_clocks_reads_a_clock()
    {
        var clock = new Regex(
            @"\b(DateTime(Offset)?\.(Now|UtcNow|Today)|Stopwatch|TickCount(64)?|TimeProvider|GetTimestamp|clock_gettime|gettimeofday)\b");
        SourceFiles.AssertNone(Product, clock,
            "a clock read outside MonotonicClock.cs and WallClock.cs: use MonotonicClock for durations, WallClock.Now for display");
    }
}
