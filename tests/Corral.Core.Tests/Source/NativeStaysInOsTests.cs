using System.Text.RegularExpressions;

namespace Corral.Core.Tests.Source;

/// <summary>
/// Syscalls live in Corral.Os/Native, one file per C header (DESIGN.md); everything above Os
/// calls the typed wrappers in Corral.Os's other folders. Errno (errno values and their words)
/// is the one Native type the executable may use.
/// </summary>
public class NativeStaysInOsTests
{
    const string NativeFolder = "src/Corral.Os/Native/";

    [Fact]
    public void Only_Corral_Os_Native_declares_P_Invokes()
    {
        var outside = SourceFiles.Under("src").Where(f => !f.Contains(NativeFolder, StringComparison.Ordinal));
        SourceFiles.AssertNone(outside, new Regex(@"\[(LibraryImport|DllImport)\b"), "a P/Invoke outside Corral.Os/Native");
    }

    [Fact]
    public void Nothing_above_Os_calls_Native_but_for_Errno()
    {
        var types = SourceFiles.Under(NativeFolder)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\b(?:class|struct)\s+(\w+)").Select(m => m.Groups[1].Value))
            .Where(t => t is not "Errno" and not "Libc")
            .Distinct()
            .ToList();
        Assert.Contains("Unistd", types);
        var call = new Regex(@"Os\.Native\.(?!Errno\b)\w+|(?<![\w.])(" + string.Join("|", types) + @")\.\w+");
        // Only files that can see the namespace: a bare "Signal." elsewhere is another type.
        var above = SourceFiles.Under("src").Where(f => !f.Contains("/src/Corral.Os/", StringComparison.Ordinal)
            && File.ReadAllText(f).Contains("Os.Native", StringComparison.Ordinal));
        SourceFiles.AssertNone(above, call, "Native used above Corral.Os: add a typed wrapper in Corral.Os");
    }
}
