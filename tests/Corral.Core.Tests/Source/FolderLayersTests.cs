using System.Text.RegularExpressions;

namespace Corral.Core.Tests.Source;

/// <summary>
/// The executable's folders are layers, each using only those below it, so no two folders
/// depend on each other: Cli (the verbs) over Runtime (the event loop) over Control (the
/// protocol, server and client), with Config (finding, reading and checking a config file) and
/// Compat (the init voices) at the bottom. A file's dependency on a folder is a
/// <c>using Corral.Folder</c> or a name qualified by it.
/// </summary>
public partial class FolderLayersTests
{
    static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Cli"] = ["Runtime", "Control", "Config", "Compat"],
        ["Runtime"] = ["Control", "Config", "Compat"],
        ["Control"] = ["Config"],
        ["Config"] = [],
        ["Compat"] = [],
    };

    static Dictionary<string, HashSet<string>> Uses()
    {
        var root = Path.Combine(SourceFiles.Root, "src", "Corral");
        var uses = new Dictionary<string, HashSet<string>>();
        foreach (var folder in Allowed.Keys)
        {
            var found = uses[folder] = [];
            foreach (var hit in SourceFiles.Matches(SourceFiles.Under(Path.Combine("src", "Corral", folder)), Reference()))
                foreach (Match m in Reference().Matches(hit[(hit.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
                {
                    var used = m.Groups["folder"].Value;
                    if (used != folder) found.Add(used);
                }
        }
        return uses;
    }

    [Fact]
    public void Every_folder_of_the_executable_is_a_known_layer()
    {
        var folders = Directory.GetDirectories(Path.Combine(SourceFiles.Root, "src", "Corral"))
            .Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order().ToList();
        Assert.Equal(Allowed.Keys.Order().ToList(), folders!);
    }

    [Fact]
    public void Each_folder_uses_only_the_layers_below_it()
    {
        var wrong = Uses().SelectMany(u => u.Value.Where(used => !Allowed[u.Key].Contains(used)).Select(used => $"{u.Key} -> {used}")).ToList();
        Assert.True(wrong.Count == 0, $"folder dependencies against the layers: {string.Join(", ", wrong)}");
    }

    [Fact]
    public void The_allowed_layers_have_no_cycle()
    {
        var state = new Dictionary<string, int>();
        bool Cyclic(string f)
        {
            if (state.GetValueOrDefault(f) == 1) return true;
            if (state.GetValueOrDefault(f) == 2) return false;
            state[f] = 1;
            var cyclic = Allowed[f].Any(Cyclic);
            state[f] = 2;
            return cyclic;
        }
        Assert.DoesNotContain(Allowed.Keys, Cyclic);
    }

    [GeneratedRegex(@"(?<![\w.])(?:Corral\.)?(?<folder>Cli|Runtime|Control|Config|Compat)\.[A-Z]|using Corral\.(?<folder>Cli|Runtime|Control|Config|Compat)\b")]
    private static partial Regex Reference();
}
