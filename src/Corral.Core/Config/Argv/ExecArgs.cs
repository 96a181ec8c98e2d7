using System.Collections.Immutable;
using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

/// <summary>
/// Reads <c>corral exec [OPTIONS] [--] COMMAND [ARGS…]</c>. Also the gosu / su-exec form:
/// <c>corral exec --user app:app -- server</c>.
/// </summary>
public static class ExecArgs
{
    public const string Usage = """
        Usage: corral exec [OPTIONS] [--] COMMAND [ARGS...]

        Set up this process, then replace it with COMMAND (execve): a gosu / su-exec
        replacement, and how Corral applies what posix_spawn cannot.

        Options:
          -u, --user USER[:GROUP]   run as USER (name or uid), with its supplementary groups
          -g, --group GROUP         primary group (name or gid); only this group, no others
              --umask MODE          file-mode mask, octal (e.g. 027)
              --rlimit NAME=SOFT[:HARD]
                                    set a resource limit (nofile, nproc, core, ...); repeatable
              --pdeathsig SIGNAL    get SIGNAL when the parent dies
              --no-new-privs        forbid gaining privileges through execve
          -C, --workdir DIR         change to DIR before exec
          -h, --help                show this help and exit

        """;

    public static ArgvOutcome<ExecSpec> Read(IReadOnlyList<string> args)
    {
        var spec = new ExecSpec { Command = [] };
        var limits = ImmutableArray.CreateBuilder<ResourceLimit>();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--") { i++; break; }
            if (!a.StartsWith('-') || a == "-") break;
            var eq = a.IndexOf('=');
            string? inline = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = a[(eq + 1)..]; a = a[..eq]; }
            string? Value() => inline ?? (i + 1 < args.Count ? args[++i] : null);
            switch (a)
            {
                case "-h" or "--help":
                    return ArgvOutcome<ExecSpec>.Print(0, Usage);
                case "-u" or "--user":
                    if (Value() is not { } user || user.Length == 0) return Fail($"{a} needs a user");
                    var colon = user.IndexOf(':');
                    spec = colon >= 0
                        ? spec with { User = NullIfEmpty(user[..colon]), Group = NullIfEmpty(user[(colon + 1)..]) }
                        : spec with { User = user };
                    break;
                case "-g" or "--group":
                    if (Value() is not { } group || group.Length == 0) return Fail($"{a} needs a group");
                    spec = spec with { Group = group };
                    break;
                case "--umask":
                    if (Value() is not { } mask || !TryOctal(mask, out var m)) return Fail("--umask needs an octal mode such as 022");
                    spec = spec with { Umask = m };
                    break;
                case "--rlimit":
                    if (Value() is not { } lim) return Fail("--rlimit needs NAME=SOFT[:HARD]");
                    if (!ResourceLimit.TryParse(lim, out var limit, out var error)) return Fail($"--rlimit: {error}");
                    limits.Add(limit!);
                    break;
                case "--pdeathsig":
                    if (Value() is not { } sigText || !Signals.TryParse(sigText, out var sig)) return Fail("--pdeathsig needs a signal name or number");
                    spec = spec with { ParentDeathSignal = sig };
                    break;
                case "--no-new-privs":
                    spec = spec with { NoNewPrivileges = true };
                    break;
                case "-C" or "--workdir":
                    if (Value() is not { } dir) return Fail($"{a} needs a directory");
                    spec = spec with { WorkingDirectory = dir };
                    break;
                // For Corral's own chain-loading: not in the usage.
                case "--ignore-signals" or "--block-signals":
                    if (Value() is not { } list) return Fail($"{a} needs a list of signals");
                    var listed = ImmutableArray.CreateBuilder<int>();
                    foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!Signals.TryParse(part, out var s)) return Fail($"{a}: unknown signal '{part}'");
                        listed.Add(s);
                    }
                    spec = a == "--ignore-signals"
                        ? spec with { IgnoreSignals = listed.ToImmutable() }
                        : spec with { BlockSignals = listed.ToImmutable() };
                    break;
                case "--ctty":
                    spec = spec with { TakeControllingTerminal = true };
                    break;
                case "--ctty-debug":
                    spec = spec with { TakeControllingTerminal = true, ReportTerminal = true };
                    break;
                case "--error-style":
                    spec = (Value()) switch
                    {
                        "tini" => spec with { ErrorStyle = Personality.Tini },
                        "dumb-init" => spec with { ErrorStyle = Personality.DumbInit },
                        "corral" => spec with { ErrorStyle = Personality.Corral },
                        _ => null!,
                    };
                    if (spec is null) return Fail("--error-style is tini, dumb-init or corral");
                    break;
                case "--report-fd":
                    if (Value() is not { } fdText || !int.TryParse(fdText, out var fd) || fd < 3) return Fail("--report-fd needs a descriptor number of 3 or more");
                    spec = spec with { ReportFd = fd };
                    break;
                default:
                    return Fail($"unknown option '{a}'");
            }
        }
        if (i >= args.Count) return Fail("no command given");
        return ArgvOutcome<ExecSpec>.Run(spec with { Command = [.. args.Skip(i)], Limits = limits.ToImmutable() });
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
