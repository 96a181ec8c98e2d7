using System.Text.RegularExpressions;

namespace Corral.Core.Config;

/// <summary>
/// Says in words why a pattern does not compile. The binary is built without the runtime's
/// message texts (UseSystemResourceKeys), so RegexParseException.Message is a resource key
/// ("MakeException, ([, 2, UnterminatedBracket"); its Error and Offset are what is left.
/// </summary>
public static class RegexProblems
{
    /// <summary>Null when <paramref name="pattern"/> compiles; else a sentence such as "'([' is not a valid regular expression (a '[' is not closed); …".</summary>
    public static string? Check(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return null;
        }
        catch (RegexParseException e)
        {
            return $"'{pattern}' is not a valid regular expression ({Reason(e.Error, pattern, e.Offset)}); escape special characters with '\\' (\\[ \\( \\. \\* \\+ \\? \\\\) to match them as they are";
        }
        catch (ArgumentException)
        {
            return $"'{pattern}' is not a valid regular expression; escape special characters with '\\' to match them as they are";
        }
    }

    static string Reason(RegexParseError error, string pattern, int offset)
    {
        // Offset is where the parser stopped, just past the problem.
        var at = offset > 0 && offset <= pattern.Length ? $" at character {offset}" : "";
        return error switch
        {
            RegexParseError.UnterminatedBracket => "a '[' is not closed",
            RegexParseError.InsufficientClosingParentheses => "a '(' is not closed",
            RegexParseError.InsufficientOpeningParentheses => $"a ')'{at} has no '(' before it",
            RegexParseError.QuantifierAfterNothing => $"'*', '+', '?' or '{{'{at} follows nothing it could repeat",
            RegexParseError.NestedQuantifiersNotParenthesized => $"two repetitions in a row{at}, such as '**' or '+*'",
            RegexParseError.UnescapedEndingBackslash => "it ends with a lone '\\'",
            RegexParseError.UnrecognizedEscape => $"the escape{at} is not one .NET knows",
            RegexParseError.ReversedCharacterRange => $"the range{at} runs backwards, such as [z-a]",
            RegexParseError.ReversedQuantifierRange => $"the repetition{at} is {{n,m}} with n larger than m",
            RegexParseError.ShorthandClassInCharacterRange => $"a class such as \\d{at} cannot end a range",
            RegexParseError.InvalidGroupingConstruct => $"'(?'{at} starts no group .NET knows",
            RegexParseError.UnterminatedComment => "a '(?#' comment is not closed",
            RegexParseError.UndefinedNumberedReference or RegexParseError.UndefinedNamedReference => $"the back-reference{at} names no group",
            RegexParseError.QuantifierOrCaptureGroupOutOfRange => $"the number{at} is too large",
            _ => Words(error.ToString()) + at,
        };
    }

    /// <summary>"MalformedUnicodePropertyEscape" → "malformed unicode property escape".</summary>
    static string Words(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : " ") + char.ToLowerInvariant(c) : c.ToString()));
}
