using System.Text;
using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

// Overview: the one grammar of Corral's own command line (every verb, and `corral -- CMD`).
// It is getopt_long's, so that what works for one verb works for all:
//   --name VALUE, --name=VALUE, -n VALUE, -nVALUE, bundled flags (-fn5 = -f -n 5),
//   a value-taking option takes the next word even when it starts with '-' (-n -1),
//   "--" ends the options, a lone "-" is an operand.
// Unlike getopt_long, a long option must be spelled out: an unambiguous prefix (--time for
// --timeout) is refused with "did you mean '--timeout'?". Accepting prefixes would let a new
// option break the scripts that abbreviated an older one (--t meant --timeout until --tail
// came), and Corral's command lines live in Dockerfiles for years.
// The peers' grammars are not this one: tini's and dumb-init's command lines must keep
// glibc's exact words and quirks, so they keep GnuGetopt.

/// <summary>One option of a verb: its long name, its short letter, the name of its value when it takes one, and its help.</summary>
/// <param name="Short">The letter after a single dash, or <see cref="NoShort"/>.</param>
/// <param name="Value">The value's name in the help (FILE, N) when the option takes one; null for a flag.</param>
/// <param name="Help">One line of help; "\n" continues it on the next line.</param>
public sealed record CliOption(string Name, char Short, string? Value, string Help)
{
    public const char NoShort = '\0';

    /// <summary>Accepted but left out of the help (Corral's own chain-loading options).</summary>
    public bool Hidden { get; init; }

    public bool TakesValue => Value is not null;

    public static CliOption Flag(char shortName, string name, string help) => new(name, shortName, null, help);

    public static CliOption Flag(string name, string help) => new(name, NoShort, null, help);

    public static CliOption Valued(char shortName, string name, string value, string help) => new(name, shortName, value, help);

    public static CliOption Valued(string name, string value, string help) => new(name, NoShort, value, help);

    /// <summary>The -h, --help every verb has.</summary>
    public static readonly CliOption HelpOption = Flag('h', "help", "show this help");
}

/// <summary>An option as read: which one, its value (null for a flag), and how the user spelled it (-n or --lines).</summary>
public readonly record struct ParsedOption(CliOption Option, string? Value, string Spelling)
{
    public string Name => Option.Name;
}

/// <summary>
/// The options read, in order, and the operands. When Error is set (a whole message line,
/// naming the command), it happened after the options listed: a reader acts on those first,
/// so that `--help --bogus` is still help, as getopt's readers do.
/// </summary>
public sealed record ParsedArgs(IReadOnlyList<ParsedOption> Options, IReadOnlyList<string> Operands, string? Error)
{
    public bool Has(string name) => Options.Any(o => o.Name == name);

    /// <summary>The value of the option's last occurrence (the last one wins), or null.</summary>
    public string? Last(string name)
    {
        for (var i = Options.Count - 1; i >= 0; i--)
            if (Options[i].Name == name) return Options[i].Value;
        return null;
    }
}

/// <summary>The options of one command (a verb, or a verb of ctl) and how its words are read.</summary>
/// <param name="Command">The command as the user typed it, for messages: "corral ctl wait".</param>
/// <param name="OptionsEndAtFirstOperand">
/// True where the first operand starts a command line of its own (`corral -- CMD`, `corral exec`,
/// ctl before its verb): everything from there on is left alone. Otherwise options may follow
/// operands (`ctl wait db --timeout 5s`), as glibc permutes.
/// </param>
public sealed class OptionGrammar(string command, IReadOnlyList<CliOption> options, bool optionsEndAtFirstOperand = false)
{
    public string Command => command;

    public IReadOnlyList<CliOption> Options => options;

    public ParsedArgs Parse(IReadOnlyList<string> args)
    {
        var read = new List<ParsedOption>();
        var operands = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                operands.AddRange(args.Skip(i + 1));
                break;
            }
            if (a.Length < 2 || a[0] != '-')
            {
                if (optionsEndAtFirstOperand)
                {
                    operands.AddRange(args.Skip(i));
                    break;
                }
                operands.Add(a);
                continue;
            }
            var error = a[1] == '-' ? ReadLong(a, args, ref i, read) : ReadShort(a, args, ref i, read);
            if (error is not null) return new ParsedArgs(read, operands, $"{command}: {error}");
        }
        return new ParsedArgs(read, operands, null);
    }

    string? ReadLong(string a, IReadOnlyList<string> args, ref int i, List<ParsedOption> read)
    {
        var eq = a.IndexOf('=');
        var spelling = eq >= 0 ? a[..eq] : a;
        var option = options.FirstOrDefault(o => o.Name == spelling[2..]);
        if (option is null) return $"unknown option '{spelling}'{Suggest(spelling[2..])}";
        if (!option.TakesValue)
        {
            if (eq >= 0) return $"option '{spelling}' takes no value";
            read.Add(new ParsedOption(option, null, spelling));
        }
        else if (eq >= 0) read.Add(new ParsedOption(option, a[(eq + 1)..], spelling));
        else if (i + 1 < args.Count) read.Add(new ParsedOption(option, args[++i], spelling));
        else return MissingValue(spelling, option);
        return null;
    }

    string? ReadShort(string a, IReadOnlyList<string> args, ref int i, List<ParsedOption> read)
    {
        for (var j = 1; j < a.Length; j++)
        {
            var c = a[j];
            var option = c == CliOption.NoShort ? null : options.FirstOrDefault(o => o.Short == c);
            var spelling = $"-{c}";
            if (option is null)
            {
                var inCluster = a.Length > 2 ? $" (in '{a}')" : "";
                // -timeout for --timeout: the long option with one dash.
                var hint = j == 1 ? Suggest(a[1..].Split('=')[0]) : "";
                return $"unknown option '{spelling}'{inCluster}{hint}";
            }
            if (!option.TakesValue)
            {
                read.Add(new ParsedOption(option, null, spelling));
                continue;
            }
            // The rest of the word is the value (-n5, -fn5); else the next word is.
            if (j + 1 < a.Length) read.Add(new ParsedOption(option, a[(j + 1)..], spelling));
            else if (i + 1 < args.Count) read.Add(new ParsedOption(option, args[++i], spelling));
            else return MissingValue(spelling, option);
            return null;
        }
        return null;
    }

    static string MissingValue(string spelling, CliOption option) => $"option '{spelling}' needs a value ({option.Value})";

    /// <summary>"; did you mean '--timeout'?" for a typo or an abbreviation of a long option, else "".</summary>
    string Suggest(string name)
    {
        var names = options.Where(o => !o.Hidden).Select(o => o.Name).ToList();
        var prefixed = name.Length > 0 ? names.Where(n => n.StartsWith(name, StringComparison.Ordinal)).ToList() : [];
        var close = prefixed.Count == 1 ? prefixed[0] : name.Length >= 3 ? EditDistance.Closest(name, names) : null;
        return close is null ? "" : $"; did you mean '--{close}'?";
    }

    /// <summary>The help's option lines, from the same table the parser reads: "  -c, --config FILE   the config file".</summary>
    public string Describe()
    {
        const int widest = 26;
        var shown = options.Where(o => !o.Hidden).ToList();
        var lefts = shown.Select(o =>
            (o.Short != CliOption.NoShort ? $"-{o.Short}, " : "    ") + $"--{o.Name}" + (o.TakesValue ? $" {o.Value}" : "")).ToList();
        var column = Math.Min(widest, lefts.Max(l => l.Length)) + 4;
        var b = new StringBuilder();
        for (var k = 0; k < shown.Count; k++)
        {
            var left = "  " + lefts[k];
            var lines = shown[k].Help.Split('\n');
            if (left.Length + 2 > column)
            {
                b.Append(left).Append('\n');
                left = "";
            }
            foreach (var line in lines)
            {
                b.Append(left.PadRight(column)).Append(line).Append('\n');
                left = "";
            }
        }
        return b.ToString();
    }
}
