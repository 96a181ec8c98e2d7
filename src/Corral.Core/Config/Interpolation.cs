using System.Collections.Immutable;
using System.Text;
using Corral.Core.Model.Services;

namespace Corral.Core.Config;

/// <summary>
/// Compose's variable interpolation in one string: <c>$NAME</c>, <c>${NAME}</c>,
/// <c>${NAME:-default}</c> (unset or empty), <c>${NAME-default}</c> (unset),
/// <c>${NAME:?message}</c> and <c>${NAME?message}</c> (required), <c>${NAME:+other}</c> and
/// <c>${NAME+other}</c> (replacement when set), and <c>$$</c> for a literal <c>$</c>.
/// </summary>
/// <remarks>
/// As in compose-go's template package: a default may itself hold substitutions (read only
/// when it is used), and a '$' followed by anything else ("$1", "$(") stays as it is written.
/// An unset variable without a default becomes "" with a warning; a malformed "${…}" or a
/// missing required variable is an error.
/// </remarks>
public static class Interpolation
{
    /// <summary>
    /// How deep "${A:-${B:-…}}" may nest: each level reads the rest of the text again, so ten
    /// thousand levels took minutes (and could exhaust the stack).
    /// </summary>
    public const int MaxNesting = 32;

    public sealed record Problem(Severity Severity, string Message);

    public static (string Value, ImmutableArray<Problem> Problems) Apply(string text, Func<string, string?> lookup)
    {
        var problems = ImmutableArray.CreateBuilder<Problem>();
        var value = Expand(text, lookup, problems, 0);
        return (value, problems.ToImmutable());
    }

    static string Expand(string text, Func<string, string?> lookup, ImmutableArray<Problem>.Builder problems, int depth)
    {
        if (!text.Contains('$')) return text;
        if (depth > MaxNesting)
        {
            problems.Add(new(Severity.Error, $"substitutions nested more than {MaxNesting} deep"));
            return "";
        }
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c != '$' || !(next == '$' || next == '{' || IsNameStart(next)))
            {
                result.Append(c);
                i++;
            }
            else if (next == '$')
            {
                result.Append('$');
                i += 2;
            }
            else if (next == '{')
            {
                var close = ClosingBrace(text, i + 2);
                if (close < 0)
                {
                    problems.Add(new(Severity.Error, $"'{text[i..]}' has no closing '}}'; write $$ for a literal '$'"));
                    return result.Append(text[i..]).ToString();
                }
                result.Append(Braced(text[(i + 2)..close], lookup, problems, depth));
                i = close + 1;
            }
            else
            {
                var end = i + 1;
                while (end < text.Length && IsNameChar(text[end])) end++;
                var name = text[(i + 1)..end];
                result.Append(lookup(name) ?? Unset(name, problems));
                i = end;
            }
        }
        return result.ToString();
    }

    /// <summary>The inside of "${…}": a name, then nothing or one operator and its word.</summary>
    static string Braced(string body, Func<string, string?> lookup, ImmutableArray<Problem>.Builder problems, int depth)
    {
        var n = 0;
        while (n < body.Length && IsNameChar(body[n])) n++;
        var name = body[..n];
        var rest = body[n..];
        var op = rest.StartsWith(':') ? rest[..Math.Min(2, rest.Length)] : rest[..Math.Min(1, rest.Length)];
        if (name.Length == 0 || !IsNameStart(name[0]) || (rest.Length > 0 && op is not (":-" or "-" or ":?" or "?" or ":+" or "+")))
        {
            problems.Add(new(Severity.Error,
                $"'${{{body}}}' is not a substitution Corral knows (${{NAME}}, ${{NAME:-default}}, ${{NAME-default}}, ${{NAME:?message}}, ${{NAME:+value}}); write $$ for a literal '$'"));
            return "";
        }
        var value = lookup(name);
        var word = rest[op.Length..];
        // With ':' an empty value counts as unset, as in the shell.
        var set = op.StartsWith(':') ? !string.IsNullOrEmpty(value) : value is not null;
        switch (op)
        {
            case "":
                return value ?? Unset(name, problems);
            case ":-" or "-":
                return set ? value! : Expand(word, lookup, problems, depth + 1);
            case ":+" or "+":
                return set ? Expand(word, lookup, problems, depth + 1) : "";
            default:
                if (set) return value!;
                var why = value is null ? "is not set" : "is empty";
                var message = Expand(word, lookup, problems, depth + 1);
                problems.Add(new(Severity.Error, $"${name} is required and {why}{(message.Length > 0 ? ": " + message : "")}"));
                return "";
        }
    }

    static string Unset(string name, ImmutableArray<Problem>.Builder problems)
    {
        problems.Add(new(Severity.Warning,
            $"${name} is not set, so it is replaced by an empty string; write $${name} to pass '${name}' on as it is, or ${{{name}:-default}} for a default"));
        return "";
    }

    /// <summary>The index of the '}' that closes a "${" whose inside starts at <paramref name="start"/>, or -1.</summary>
    static int ClosingBrace(string text, int start)
    {
        var depth = 1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] is '$' or '{')
            {
                if (text[i + 1] == '{') depth++;
                i++;
            }
            else if (text[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }

    static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
