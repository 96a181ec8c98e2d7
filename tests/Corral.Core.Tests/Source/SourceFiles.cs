using System.Text.RegularExpressions;

namespace Corral.Core.Tests.Source;

/// <summary>
/// The product's C# source as text, for tests that hold a rule of the architecture (which
/// layer may do I/O, which files may read a clock). Comments are left out, so a comment may
/// name what the code must not do.
/// </summary>
internal static partial class SourceFiles
{
    /// <summary>The repository's root: the first directory above the test binary that holds Corral.slnx.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Corral.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Corral.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>Every .cs file under the folder (relative to the root), build output left out.</summary>
    public static IEnumerable<string> Under(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>"src/…/File.cs:12: the line" for every code line (comments left out) that matches.</summary>
    public static List<string> Matches(IEnumerable<string> files, Regex pattern)
    {
        var found = new List<string>();
        foreach (var file in files)
        {
            var lines = BlockComment().Replace(File.ReadAllText(file), m => new string('\n', m.Value.Count(c => c == '\n'))).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var code = LineComment().Replace(lines[i], "$1");
                if (pattern.IsMatch(code)) found.Add($"{Path.GetRelativePath(Root, file)}:{i + 1}: {lines[i].Trim()}");
            }
        }
        return found;
    }

    /// <summary>Fails with every match, one a line, under what the rule says.</summary>
    public static void AssertNone(IEnumerable<string> files, Regex pattern, string rule)
    {
        var found = Matches(files, pattern);
        if (found.Count > 0) Assert.Fail($"{rule}:\n{string.Join("\n", found)}");
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    // From // to the end of the line, unless the // is in a string ("http://…"): the code
    // before it, group 1, has whole strings only.
    [GeneratedRegex(@"^((?:[^""/]|""[^""]*""|/(?!/))*)//.*$")]
    private static partial Regex LineComment();
}
