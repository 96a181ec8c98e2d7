using System.Text.RegularExpressions;

namespace Corral.Core.Tests.Source;

/// <summary>
/// No type is split across files to hide its size: a type that needs splitting is two types.
/// partial stays for source generators (LibraryImport, GeneratedRegex, JSON contexts), in one file.
/// </summary>
public partial class OneFilePerTypeTests
{
    [Fact]
    public void No_partial_type_is_declared_in_more_than_one_file()
    {
        var split = SourceFiles.Matches(SourceFiles.Under("src"), Partial())
            .Select(hit => (File: hit[..hit.IndexOf(':')], Type: Partial().Match(hit[(hit.IndexOf(": ", StringComparison.Ordinal) + 2)..]).Groups[1].Value))
            .GroupBy(d => d.Type)
            .Where(g => g.Select(d => d.File).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.File).Distinct())}")
            .ToList();
        Assert.True(split.Count == 0, $"types split across files:\n{string.Join("\n", split)}");
    }

    [GeneratedRegex(@"\bpartial\s+(?:class|record|struct|interface)\s+(\w+)")]
    private static partial Regex Partial();
}
