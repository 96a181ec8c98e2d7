using System.Text;
using CsCheck;

namespace Corral.Core.Tests.Fuzz;

/// <summary>
/// Text mutations, the kinds of damage a config meets: random bytes, truncation, duplicated,
/// removed and swapped lines, huge and negative numbers, deep nesting, unicode, NULs, CRLF, and
/// a line repeated thousands of times (which finds quadratic time). Each mutation is chosen and
/// placed by one generated integer, so CsCheck shrinks a failing case to fewer and simpler ones.
/// </summary>
internal static class Mutations
{
    /// <summary>Strings a reader meets only from a fuzzer.</summary>
    static readonly string[] oddities =
    [
        "\0", "\r\n", "\r", "\t", "\u00e9", "\u0301", "\u202e", "\ufeff", "\uffff", "\ud800", "\udc00", "\U0001F600",
        "%", "%(", "%(here)", "%(here)99999999999s", "%(here)2000000000s", "$", "${", "${A:-${B", "$$", "}", "\\", "'", "\"",
        ":", "=", "#", ";", "[", "]", "{", "}", "- ", "&a", "*a", "!!binary", "<<: *a", "---", "...", "|", ">",
        "<", ">", "&#xD800;", "&#x110000;", "&#-1;", "&lt;", "<!--", "<?xml", "]]>",
    ];

    static readonly string[] numbers =
        ["99999999999999999999", "2147483647", "2147483648", "-2147483649", "-1", "0", "1e308", "NaN", "0x1F", "007", "1.5", "9223372036854775808"];

    /// <summary>The seeds with up to <paramref name="most"/> mutations each (none, sometimes: valid inputs are cases too).</summary>
    public static Gen<string> Of(Gen<string> seeds, int most = 4) =>
        Gen.Select(seeds, Gen.Int.Array[0, most]).Select((text, ops) => ops.Aggregate(text, (t, op) => Apply(t, op) is { Length: <= MaxLength } m ? m : t));

    /// <summary>
    /// Mutations stop growing a text here: big enough that quadratic time shows (seconds instead
    /// of milliseconds), small enough that a case stays cheap; repeated mutations would otherwise
    /// multiply into hundreds of megabytes.
    /// </summary>
    public const int MaxLength = 256 * 1024;

    public static string Apply(string text, int op)
    {
        var r = new Random(op);
        var lines = text.Split('\n').ToList();
        var at = text.Length == 0 ? 0 : r.Next(text.Length + 1);
        var line = lines.Count == 0 ? 0 : r.Next(lines.Count);
        switch ((uint)op % 16)
        {
            case 0: return text.Insert(at, RandomChars(r, r.Next(1, 16)));
            case 1: return text[..at];
            case 2: lines.Insert(line, lines[line]); break;
            case 3: lines.RemoveAt(line); break;
            case 4:
                var other = r.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                break;
            case 5: return Digits().Replace(text, _ => numbers[r.Next(numbers.Length)], 1, at);
            case 6: return text.Insert(at, oddities[r.Next(oddities.Length)]);
            case 7: return text.Replace("\n", "\r\n");
            case 8: return text.Insert(at, "\0");
            case 9:
                // Deep nesting: an opening repeated (YAML flow, XML, ${…}, bundles of bundles).
                var open = new[] { "[", "{", "- ", "${A:-", "<value><array><data>", "  " }[r.Next(6)];
                return text.Insert(at, string.Concat(Enumerable.Repeat(open, r.Next(100, 5000))));
            case 10:
                // One line many times: what is quadratic in the number of lines shows here.
                lines.InsertRange(line, Enumerable.Repeat(lines[line], r.Next(1000, 5000)));
                break;
            case 11: lines[line] = lines[line] + new string('x', r.Next(1000, 20000)); break;
            case 12: return text.Insert(at, string.Concat(Enumerable.Repeat(oddities[r.Next(oddities.Length)], r.Next(2, 200))));
            case 13: lines[line] = new string(' ', r.Next(0, 40)) + lines[line].TrimStart(); break;
            case 14:
                var word = WordAt(text, at);
                return word.Length == 0 ? text : text.Insert(at, word);
            default: return text.Length == 0 ? text : text.Remove(at == text.Length ? at - 1 : at, 1);
        }
        return string.Join('\n', lines);
    }

    static string RandomChars(Random r, int count)
    {
        var b = new StringBuilder();
        for (var i = 0; i < count; i++)
            b.Append(r.Next(4) switch
            {
                0 => (char)r.Next(0, 32),
                1 => (char)r.Next(32, 127),
                2 => (char)r.Next(0xD800, 0xE000),
                _ => (char)r.Next(127, 0x10000),
            });
        return b.ToString();
    }

    static string WordAt(string text, int at)
    {
        var start = at;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1])) start--;
        var end = at;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        return text[start..end];
    }

    static System.Text.RegularExpressions.Regex Digits() => new(@"\d+");

    /// <summary>Short random text over an alphabet, for the parts of inputs a grammar leaves free.</summary>
    public static Gen<string> Word(string alphabet, int max = 12) => Gen.Char[alphabet].Array[0, max].Select(c => new string(c));

    public static readonly Gen<string> Odd = Gen.OneOf(oddities);
}
