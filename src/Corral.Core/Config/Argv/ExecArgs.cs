using System.Collections.Immutable;
using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

/// <summary>
/// Reads <c>corral exec [OPTIONS] [--] COMMAND [ARGS…]</c>. Also the gosu / su-exec form:
/// <c>corral exec --user app:app -- server</c>.
/// </summary>
public static class ExecArgs
{
    public static readonly OptionGrammar Grammar = new("corral exec",
    [
        CliOption.Valued('u', "user", "USER[:GROUP]", "run as USER (name or uid), with its supplementary groups"),
        CliOption.Valued('g', "group", "GROUP", "primary group (name or gid); only this group, no others"),
        CliOption.Valued("umask", "MODE", "file-mode mask, octal (e.g. 027)"),
        CliOption.Valued("rlimit", "NAME=SOFT[:HARD]", "set a resource limit (nofile, nproc, core, ...); repeatable"),
        CliOption.Valued("pdeathsig", "SIGNAL", "get SIGNAL when the parent dies"),
        CliOption.Flag("no-new-privs", "forbid gaining privileges through execve"),
        CliOption.Valued('C', "workdir", "DIR", "change to DIR before exec"),
        CliOption.Flag('h', "help", "show this help and exit"),
        // For Corral's own chain-loading: not in the usage.
        CliOption.Valued("ignore-signals", "SIGNALS", "") with { Hidden = true },
        CliOption.Valued("block-signals", "SIGNALS", "") with { Hidden = true },
        CliOption.Flag("ctty", "") with { Hidden = true },
        CliOption.Flag("ctty-debug", "") with { Hidden = true },
        CliOption.Valued("error-style", "STYLE", "") with { Hidden = true },
        CliOption.Valued("report-fd", "FD", "") with { Hidden = true },
    ], optionsEndAtFirstOperand: true);

    public static string Usage => field ??= $"""
        Usage: corral exec [OPTIONS] [--] COMMAND [ARGS...]

        Set up this process, then replace it with COMMAND (execve): a gosu / su-exec
        replacement, and how Corral applies what posix_spawn cannot.

        Options:
        {Grammar.Describe()}
        """;

    public static ArgvOutcome<ExecSpec> Read(IReadOnlyList<string> args)
    {
        var spec = new ExecSpec { Command = [] };
        var limits = ImmutableArray.CreateBuilder<ResourceLimit>();
        var parsed = Grammar.Parse(args);
        // In order, and before a mistake later on the line: `-u app --help --bogus` is help.
        foreach (var (option, value, a) in parsed.Options)
        {
            switch (option.Name)
            {
                case "help":
                    return ArgvOutcome<ExecSpec>.Print(0, Usage);
                case "user":
                    if (value is not { Length: > 0 } user) return Fail($"{a} needs a user");
                    var colon = user.IndexOf(':');
                    spec = colon >= 0
                        ? spec with { User = NullIfEmpty(user[..colon]), Group = NullIfEmpty(user[(colon + 1)..]) }
                        : spec with { User = user };
                    break;
                case "group":
                    if (value is not { Length: > 0 } group) return Fail($"{a} needs a group");
                    spec = spec with { Group = group };
                    break;
                case "umask":
                    if (!TryOctal(value!, out var m)) return Fail("--umask needs an octal mode such as 022");
                    spec = spec with { Umask = m };
                    break;
                case "rlimit":
                    if (!ResourceLimit.TryParse(value!, out var limit, out var error)) return Fail($"--rlimit: {error}");
                    limits.Add(limit!);
                    break;
                case "pdeathsig":
                    if (!Signals.TryParse(value!, out var sig)) return Fail("--pdeathsig needs a signal name or number");
                    spec = spec with { ParentDeathSignal = sig };
                    break;
                case "no-new-privs":
                    spec = spec with { NoNewPrivileges = true };
                    break;
                case "workdir":
                    spec = spec with { WorkingDirectory = value };
                    break;
                case "ignore-signals" or "block-signals":
                    var listed = ImmutableArray.CreateBuilder<int>();
                    foreach (var part in value!.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!Signals.TryParse(part, out var s)) return Fail($"{a}: unknown signal '{part}'");
                        listed.Add(s);
                    }
                    spec = option.Name == "ignore-signals"
                        ? spec with { IgnoreSignals = listed.ToImmutable() }
                        : spec with { BlockSignals = listed.ToImmutable() };
                    break;
                case "ctty":
                    spec = spec with { TakeControllingTerminal = true };
                    break;
                case "ctty-debug":
                    spec = spec with { TakeControllingTerminal = true, ReportTerminal = true };
                    break;
                case "error-style":
                    Personality? style = value switch
                    {
                        "tini" => Personality.Tini,
                        "dumb-init" => Personality.DumbInit,
                        "corral" => Personality.Corral,
                        _ => null,
                    };
                    if (style is null) return Fail("--error-style is tini, dumb-init or corral");
                    spec = spec with { ErrorStyle = style.Value };
                    break;
                case "report-fd":
                    if (!int.TryParse(value, out var fd) || fd < 3) return Fail("--report-fd needs a descriptor number of 3 or more");
                    spec = spec with { ReportFd = fd };
                    break;
            }
        }
        if (parsed.Error is { } problem) return ArgvOutcome<ExecSpec>.Print(2, stderr: $"{problem}\n\n{Usage}");
        if (parsed.Operands.Count == 0) return Fail("no command given");
        return ArgvOutcome<ExecSpec>.Run(spec with { Command = [.. parsed.Operands], Limits = limits.ToImmutable() });
    }

    static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    static bool TryOctal(string s, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 4) return false;
        foreach (var c in s)
        {
            if (c is < '0' or > '7') return false;
            value = value * 8 + (c - '0');
        }
        return true;
    }

    static ArgvOutcome<ExecSpec> Fail(string message) =>
        ArgvOutcome<ExecSpec>.Print(2, stderr: $"corral exec: {message}\n\n{Usage}");
}
