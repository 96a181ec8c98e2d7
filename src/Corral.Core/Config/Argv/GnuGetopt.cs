namespace Corral.Core.Config.Argv;

/// <summary>
/// glibc's getopt / getopt_long, as tini and dumb-init use them, so that Corral in their
/// personalities accepts and refuses exactly the same command lines with the same messages.
/// Options may follow operands (glibc permutes) unless the option string starts with '+' or
/// POSIXLY_CORRECT is set; "--" ends the options.
/// </summary>
public sealed class GnuGetopt(string program, string optionString, IReadOnlyList<GnuGetopt.LongOption>? longOptions = null)
{
    public sealed record LongOption(string Name, bool HasArgument, char Short);

    /// <summary>
    /// The options read, in order, and the operands. When Error is set, it happened after the
    /// options listed: a reader acts on those first, as the real programs do (tini -hZ is help).
    /// </summary>
    public sealed record Result(IReadOnlyList<(char Option, string? Argument)> Options, IReadOnlyList<string> Operands, string? Error);

    public Result Parse(IReadOnlyList<string> args, bool posixlyCorrect = false)
    {
        var inOrder = optionString.StartsWith('+') || posixlyCorrect;
        var shorts = optionString.TrimStart('+', ':');
        var options = new List<(char, string?)>();
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
                if (inOrder)
                {
                    operands.AddRange(args.Skip(i));
                    break;
                }
                operands.Add(a);
                continue;
            }
            if (a.StartsWith("--", StringComparison.Ordinal) && longOptions is not null)
            {
                var error = ParseLong(a, args, ref i, options);
                if (error is not null) return new Result(options, operands, error);
                continue;
            }
            for (var j = 1; j < a.Length; j++)
            {
                var c = a[j];
                var at = shorts.IndexOf(c);
                if (at < 0 || c == ':')
                    return new Result(options, operands, $"{program}: invalid option -- '{c}'\n");
                var takesArgument = at + 1 < shorts.Length && shorts[at + 1] == ':';
                if (!takesArgument)
                {
                    options.Add((c, null));
                    continue;
                }
                if (j + 1 < a.Length) options.Add((c, a[(j + 1)..]));
                else if (i + 1 < args.Count) options.Add((c, args[++i]));
                else return new Result(options, operands, $"{program}: option requires an argument -- '{c}'\n");
                break;
            }
        }
        return new Result(options, operands, null);
    }

    string? ParseLong(string a, IReadOnlyList<string> args, ref int i, List<(char, string?)> options)
    {
        var body = a[2..];
        var eq = body.IndexOf('=');
        var name = eq >= 0 ? body[..eq] : body;
        var exact = longOptions!.FirstOrDefault(o => o.Name == name);
        var candidates = exact is not null ? [exact] : longOptions!.Where(o => o.Name.StartsWith(name, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0) return $"{program}: unrecognized option '{a}'\n";
        if (candidates.Count > 1)
            return $"{program}: option '{a}' is ambiguous; possibilities:{string.Concat(candidates.Select(o => " '--" + o.Name + "'"))}\n";
        var option = candidates[0];
        if (!option.HasArgument)
        {
            if (eq >= 0) return $"{program}: option '--{option.Name}' doesn't allow an argument\n";
            options.Add((option.Short, null));
        }
        else if (eq >= 0) options.Add((option.Short, body[(eq + 1)..]));
        else if (i + 1 < args.Count) options.Add((option.Short, args[++i]));
        else return $"{program}: option '--{option.Name}' requires an argument\n";
        return null;
    }
}
