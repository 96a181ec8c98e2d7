using System.Text.RegularExpressions;

namespace Corral.Core.Config.Yaml;

/// <summary>
/// The YAML traps behind the scanner's bare syntax errors, found by looking at the line the
/// error is on, so that the message can say what the writer meant and how to write it.
/// </summary>
internal static partial class YamlSyntaxHints
{
    /// <summary>
    /// "command: sh -c 'echo "setup: done"'": in an unquoted value, ": " starts a mapping, so
    /// the scanner stops at the second colon. Null when line <paramref name="line"/> (1-based)
    /// is not such a line.
    /// </summary>
    public static string? ColonInPlainValue(string text, long line)
    {
        var lines = text.Split('\n');
        if (line < 1 || line > lines.Length) return null;
        var rest = ListItem().Replace(lines[line - 1].TrimEnd('\r'), "", 1);
        var match = Key().Match(rest);
        var key = match.Success ? match.Groups[1].Value : "";
        var value = rest[(match.Success ? match.Length : 0)..].Trim();
        // Quoted values, flow collections, block scalars, anchors, aliases and tags are other stories.
        if (value.Length == 0 || "'\"[]{}|>&*!#%@`".Contains(value[0]) || !value.Contains(": ", StringComparison.Ordinal)) return null;
        var holder = key.Length > 0 ? $"the value of '{key}'" : "the list item";
        var lead = key.Length > 0 ? key + ": " : "- ";
        return $"{holder} contains ': ', which YAML reads as the start of a mapping; quote the whole value "
            + $"({lead}\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"), or write '{lead}>-' and put the value on the next line, indented further";
    }

    [GeneratedRegex(@"^\s*(-\s+)*")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^([A-Za-z0-9_.-]+):\s+")]
    private static partial Regex Key();

    /// <summary>The first line indented with a tab (YAML allows only spaces), or null.</summary>
    public static int? FirstTabIndentedLine(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            if (lines[i].AsSpan(0, indent).Contains('\t')) return i + 1;
        }
        return null;
    }
}
