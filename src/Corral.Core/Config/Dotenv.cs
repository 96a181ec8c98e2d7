using System.Collections.Immutable;
using System.Text;
using Corral.Core.Model.Services;

namespace Corral.Core.Config;

/// <summary>
/// dotenv files as Compose and python-dotenv read them: <c>KEY=VALUE</c> lines, an optional
/// <c>export </c> prefix, <c>#</c> comments and blank lines. Single-quoted values are literal,
/// double-quoted ones know <c>\n \r \t \" \\</c> (other backslashes stay), and both may span
/// lines. Unquoted values are trimmed and end at <c> #</c>. Nothing is expanded.
/// </summary>
public static class Dotenv
{
    public static (ImmutableArray<KeyValuePair<string, string>> Variables, ImmutableArray<Diagnostic> Diagnostics) Parse(string text, string fileName)
    {
        var variables = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var lineNumber = n + 1;
            var line = lines[n].TrimStart();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && line[6] is ' ' or '\t')
                line = line[7..].TrimStart();

            var eq = line.IndexOf('=');
            var key = (eq < 0 ? line : line[..eq]).Trim();
            if (eq < 0)
            {
                diagnostics.Add(new(new(fileName, lineNumber), IsName(key) ? key : "", $"'{line.TrimEnd()}' is not KEY=VALUE"));
                continue;
            }
            if (!IsName(key))
            {
                diagnostics.Add(new(new(fileName, lineNumber), "", $"'{key}' is not a variable name (letters, digits and _, not starting with a digit)"));
                continue;
            }

            var rest = line[(eq + 1)..].TrimStart();
            if (rest.Length > 0 && rest[0] is '\'' or '"')
            {
                var first = n;
                if (!TryQuoted(lines, ref n, rest, out var value, out var error))
                {
                    diagnostics.Add(new(new(fileName, first + 1), key, error));
                    n = first;
                    continue;
                }
                variables.Add(new(key, value));
            }
            else
            {
                var comment = rest.IndexOf(" #", StringComparison.Ordinal);
                var tab = rest.IndexOf("\t#", StringComparison.Ordinal);
                if (tab >= 0 && (comment < 0 || tab < comment)) comment = tab;
                variables.Add(new(key, (comment >= 0 ? rest[..comment] : rest).Trim()));
            }
        }
        return (variables.ToImmutable(), diagnostics.ToImmutable());
    }

    static bool IsName(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Reads a quoted value that starts <paramref name="rest"/> and may continue on later lines; n moves to its last line.</summary>
    static bool TryQuoted(string[] lines, ref int n, string rest, out string value, out string error)
    {
        var quote = rest[0];
        var text = new StringBuilder();
        var current = rest;
        var i = 1;
        error = "";
        value = "";
        while (true)
        {
            while (i < current.Length && current[i] != quote)
            {
                if (quote == '"' && current[i] == '\\' && i + 1 < current.Length)
                {
                    text.Append(current[i + 1] switch
                    {
                        'n' => "\n", 'r' => "\r", 't' => "\t", '"' => "\"", '\\' => "\\",
                        var other => "\\" + other,
                    });
                    i += 2;
                }
                else text.Append(current[i++]);
            }
            if (i < current.Length) break;
            if (n + 1 >= lines.Length)
            {
                error = $"unterminated {(quote == '"' ? "double" : "single")} quote";
                return false;
            }
            text.Append('\n');
            current = lines[++n];
            i = 0;
        }
        var after = current[(i + 1)..].Trim();
        if (after.Length > 0 && after[0] != '#')
        {
            error = $"unexpected '{after}' after the closing quote";
            return false;
        }
        value = text.ToString();
        return true;
    }
}
