using System.Text.RegularExpressions;

namespace Corral.Core.Tests.Source;

/// <summary>
/// Corral.Core is pure (DESIGN.md): readers turn text into a model, the supervisor decides with
/// the time passed in. Files, the environment, the console and clocks are read by the
/// executable, which passes what it read in.
/// </summary>
public class CoreDoesNoIoTests
{
    static readonly IEnumerable<string> Core = SourceFiles.Under("src/Corral.Core");

    [Fact]
    public void Core_source_is_found()
    {
        Assert.Contains(Core, f => f.EndsWith("/Plan/PlanCompiler.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Core_reads_no_files_or_directories()
    {
        // Path's string functions (Combine, GetDirectoryName) are pure; GetFullPath reads the working directory.
        var io = new Regex(
            @"(?<![\w.])(System\.IO\.)?(File|Directory)\.\w+" +
            @"|\bPath\.(GetFullPath|GetTempPath|GetTempFileName|Exists)\b" +
            @"|\b(FileInfo|DirectoryInfo|FileStream|StreamReader|StreamWriter|FileSystemWatcher|DriveInfo)\b");
        SourceFiles.AssertNone(Core, io, "Core reads files: read them in the executable and pass the text in");
    }

    [Fact]
    public void Core_reads_no_environment_and_writes_no_console()
    {
        // Environment.NewLine is a constant, not a read.
        var env = new Regex(@"(?<![\w.])(System\.)?(Environment\.(?!NewLine\b)\w+|Console\.\w+)");
        SourceFiles.AssertNone(Core, env, "Core reads the environment or uses the console: pass what it needs in");
    }

    [Fact]
    public void Core_reads_no_clock()
    {
        var clock = new Regex(@"\b(DateTime(Offset)?\.(Now|UtcNow|Today)|Stopwatch|TickCount(64)?|TimeProvider|GetTimestamp)\b");
        SourceFiles.AssertNone(Core, clock, "Core reads a clock: time is an input (now)");
    }
}
