using System.Collections.Immutable;
using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

/// <summary>
/// Reads <c>corral [OPTIONS] -- CMD [ARGS…]</c>, Corral's own single-child init. It accepts
/// tini's short flags and environment variables under their own meanings, plus long names
/// and <c>--grace</c>.
/// </summary>
public static class CorralInitArgs
{
    /// <summary>The options of <c>corral -- CMD</c>: tini's letters under their own meanings, with long names.</summary>
    public static readonly OptionGrammar Grammar = new("corral",
    [
        CliOption.Flag('s', "subreaper", "register as child subreaper when not PID 1"),
        CliOption.Flag('g', "signal-group", "forward signals to the child's whole process group"),
        CliOption.Valued('p', "pdeathsig", "SIGNAL", "get SIGNAL when Corral's parent dies (e.g. -p SIGKILL)"),
        CliOption.Valued('e', "success-exit", "CODE", "report exit code CODE (0-255) as 0; repeatable"),
        CliOption.Flag('w', "warn-reap", "warn when reaping processes other than the child"),
        CliOption.Valued("grace", "DURATION", "when the child exits, TERM every remaining process and\nKILL what is left after DURATION (e.g. 5s), then exit"),
        CliOption.Flag('v', "verbose", "more output; repeat for more"),
        CliOption.Flag('q', "quiet", "only fatal errors"),
        CliOption.Flag('l', "license", "show the license and exit"),
        CliOption.Flag("version", "show the version and exit"),
        CliOption.Flag('h', "help", "show this help and exit"),
    ], optionsEndAtFirstOperand: true);

    public static string Usage => field ??= $"""
        Usage: corral [OPTIONS] -- COMMAND [ARGS...]
               corral run [-c FILE]        supervise the services of a config file
               corral check [-c FILE]      validate a config file, print every problem
               corral healthcheck [NAME...]
                                           exit 0 when the running services are up and ready
               corral ctl VERB [ARGS...]   status, start, stop, restart, signal, logs, wait,
                                           reload, shutdown: control a running corral run
               corral exec [OPTIONS] -- COMMAND [ARGS...]
                                           set user, limits, ... then exec COMMAND
               corral help [VERB]          this help, or a verb's
               corral version              the version

        Run COMMAND as the only child of an init that forwards signals, reaps zombies and
        exits with COMMAND's exit code (128+N when killed by signal N).

        Options:
        {Grammar.Describe()}
        Every verb reads its options the same way: --opt VALUE or --opt=VALUE, -o VALUE or
        -oVALUE, flags bundled (-sg), "--" ends the options; long names are never abbreviated.
        Environment: TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY are honoured.
        Invoked as tini, docker-init or dumb-init, Corral speaks exactly that program's language.

        """;

    public static ArgvOutcome Read(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, string version)
    {
        var spec = new InitSpec { Command = [] };
        var verbosity = 1;
        var successCodes = ImmutableHashSet.CreateBuilder<int>();
        if (env.ContainsKey("TINI_SUBREAPER")) spec = spec with { Subreaper = true };
        if (env.ContainsKey("TINI_KILL_PROCESS_GROUP")) spec = spec with { SignalGroup = true };
        if (env.TryGetValue("TINI_VERBOSITY", out var v) && int.TryParse(v, out var level)) verbosity = level;

        var parsed = Grammar.Parse(args);
        // In order, and before a mistake later on the line: `-s --help --bogus` is help.
        foreach (var (option, value, spelling) in parsed.Options)
        {
            switch (option.Name)
            {
                case "help": return new PrintAndExit(0, Usage);
                case "version": return new PrintAndExit(0, $"corral {version}\n");
                case "license": return new PrintAndExit(0, License.Text);
                case "subreaper": spec = spec with { Subreaper = true }; break;
                case "signal-group": spec = spec with { SignalGroup = true }; break;
                case "warn-reap": spec = spec with { WarnOnReap = true }; break;
                case "verbose": verbosity++; break;
                case "quiet": verbosity = 0; break;
                case "pdeathsig":
                    if (!Signals.TryParse(value!, out var sig))
                        return Fail($"{spelling} needs a signal name or number, e.g. {spelling} SIGKILL");
                    spec = spec with { ParentDeathSignal = sig };
                    break;
                case "success-exit":
                    if (!int.TryParse(value, out var code) || code is < 0 or > 255)
                        return Fail($"{spelling} needs an exit code from 0 to 255");
                    successCodes.Add(code);
                    break;
                case "grace":
                    if (!Durations.TryParse(value!, out var grace))
                        return Fail($"{spelling} needs a duration such as 5s or 500ms");
                    spec = spec with { Grace = grace };
                    break;
            }
        }
        if (parsed.Error is { } error) return new PrintAndExit(2, Stderr: $"{error}\n\n{Usage}");
        if (parsed.Operands.Count == 0) return Fail("no command given");
        return new RunInit(spec with
        {
            Command = [.. parsed.Operands],
            Verbosity = verbosity,
            ExitCodesAsSuccess = successCodes.ToImmutable(),
        });
    }

    static PrintAndExit Fail(string message) => new(2, Stderr: $"corral: {message}\n\n{Usage}");
}
