using System.Collections.Immutable;

namespace Corral.Core.Compat.S6;

/// <summary>
/// Options as skarnet's programs read them (subgetopt): letters may be clustered (<c>-wU</c>,
/// <c>-ud</c>); a letter followed by ':' in the grammar takes a value, the rest of its word or
/// the next word; options end at the first word that is not one, or after <c>--</c>. No long
/// options, no permutation: a program's own arguments are never read as ours.
/// </summary>
public sealed record Subgetopt(ImmutableArray<(char Letter, string? Value)> Options, ImmutableArray<string> Rest, string? Error)
{
    public static Subgetopt Parse(IReadOnlyList<string> args, string grammar)
    {
        var options = ImmutableArray.CreateBuilder<(char, string?)>();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var word = args[i];
            if (word == "--") { i++; break; }
            if (word.Length < 2 || word[0] != '-') break;
            for (var j = 1; j < word.Length; j++)
            {
                var letter = word[j];
                var at = grammar.IndexOf(letter);
                if (at < 0 || letter == ':') return new([], [], $"unknown option -{letter}");
                if (at + 1 < grammar.Length && grammar[at + 1] == ':')
                {
                    string value;
                    if (j + 1 < word.Length) value = word[(j + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else return new([], [], $"option -{letter} needs a value");
                    options.Add((letter, value));
                    break;
                }
                options.Add((letter, null));
            }
        }
        return new(options.ToImmutable(), [.. args.Skip(i)], null);
    }
}
