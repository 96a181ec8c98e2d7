using System.Collections.Immutable;
using System.Text;

namespace Corral.Core.Config;

/// <summary>
/// Splits a command string into argv the way a POSIX shell splits words, and does nothing
/// else: single quotes keep everything, double quotes keep everything but <c>\$ \` \" \\</c>
/// and backslash-newline, a backslash outside quotes escapes the next character. There is no
/// variable expansion, no globbing and no operators: a <c>|</c> or <c>$HOME</c> reaches the
/// program as written (FirstShellSyntax finds them, so a reader can suggest <c>shell: true</c>).
/// </summary>
public static class ShellWords
{
    /// <summary>Characters a shell would act on where they stand unquoted.</summary>
    const string ShellSyntax = "|&;<>$`(){}";

    public static bool TrySplit(string text, out ImmutableArray<string> words, out string error) =>
        Scan(text, out words, out error, out _);

    /// <summary>The first unquoted shell operator or expansion ("|", "$", "#" at a word's start …), or null.</summary>
    public static string? FirstShellSyntax(string text)
    {
        Scan(text, out _, out _, out var syntax);
        return syntax;
    }

    static bool Scan(string text, out ImmutableArray<string> words, out string error, out string? syntax)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        var word = new StringBuilder();
        var inWord = false;
        syntax = null;
        error = "";
        words = [];
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord) { result.Add(word.ToString()); word.Clear(); inWord = false; }
                    i++;
                    break;
                case '\\':
                    // Backslash-newline is a line continuation; a trailing backslash stays, as in sh.
                    if (i + 1 < text.Length && text[i + 1] == '\n') { i += 2; break; }
                    word.Append(i + 1 < text.Length ? text[i + 1] : '\\');
                    inWord = true;
                    i += 2;
                    break;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0) { error = $"unterminated single quote at character {i + 1}"; return false; }
                    word.Append(text, i + 1, close - i - 1);
                    inWord = true;
                    i = close + 1;
                    break;
                case '"':
                    var start = i;
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '`' or '"' or '\\' or '\n')
                        {
                            if (text[i + 1] != '\n') word.Append(text[i + 1]);
                            i += 2;
                        }
                        else word.Append(text[i++]);
                    }
                    if (i >= text.Length) { error = $"unterminated double quote at character {start + 1}"; return false; }
                    inWord = true;
                    i++;
                    break;
                default:
                    if (syntax is null && (ShellSyntax.Contains(c) || (c == '#' && !inWord))) syntax = c.ToString();
                    word.Append(c);
                    inWord = true;
                    i++;
                    break;
            }
        }
        if (inWord) result.Add(word.ToString());
        words = result.ToImmutable();
        return true;
    }
}
