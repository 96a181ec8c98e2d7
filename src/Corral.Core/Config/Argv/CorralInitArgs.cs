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
    public const string Usage = """
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
          -s, --subreaper          register as child subreaper when not PID 1
          -g, --signal-group       forward signals to the child's whole process group
          -p, --pdeathsig SIGNAL   get SIGNAL when Corral's parent dies (e.g. -p SIGKILL)
          -e, --success-exit CODE  report exit code CODE (0-255) as 0; repeatable
          -w, --warn-reap          warn when reaping processes other than the child
              --grace DURATION     when the child exits, TERM every remaining process and
                                   KILL what is left after DURATION (e.g. 5s), then exit
          -v, --verbose            more output; repeat for more
          -q, --quiet              only fatal errors
          -l, --license            show the license and exit
              --version            show the version and exit
          -h, --help               show this help and exit

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

        var i = 0;
        for (; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--") { i++; break; }
            if (!a.StartsWith('-') || a == "-") break;
            string? inline = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') is var eq and > 2)
            {
                inline = a[(eq + 1)..];
                a = a[..eq];
            }
            string? Value(string flag) => inline ?? (i + 1 < args.Count ? args[++i] : null);
            switch (a)
            {
                case "-h" or "--help": return new PrintAndExit(0, Usage);
                case "--version": return new PrintAndExit(0, $"corral {version}\n");
                case "-l" or "--license": return new PrintAndExit(0, License.Text);
                case "-s" or "--subreaper": spec = spec with { Subreaper = true }; break;
                case "-g" or "--signal-group": spec = spec with { SignalGroup = true }; break;
                case "-w" or "--warn-reap": spec = spec with { WarnOnReap = true }; break;
                case "-v" or "--verbose": verbosity++; break;
                case "-vv": verbosity += 2; break;
                case "-vvv": verbosity += 3; break;
                case "-q" or "--quiet": verbosity = 0; break;
                case "-p" or "--pdeathsig":
                    if (Value(a) is not { } sigText || !Signals.TryParse(sigText, out var sig))
                        return Fail($"{a} needs a signal name or number, e.g. {a} SIGKILL");
                    spec = spec with { ParentDeathSignal = sig };
                    break;
                case "-e" or "--success-exit":
                    if (Value(a) is not { } codeText || !int.TryParse(codeText, out var code) || code is < 0 or > 255)
                        return Fail($"{a} needs an exit code from 0 to 255");
                    successCodes.Add(code);
                    break;
                case "--grace":
                    if (Value(a) is not { } graceText || !Durations.TryParse(graceText, out var grace))
                        return Fail("--grace needs a duration such as 5s or 500ms");
                    spec = spec with { Grace = grace };
                    break;
                default:
                    return Fail($"unknown option '{a}'");
            }
        }
        if (i >= args.Count) return Fail("no command given");
        return new RunInit(spec with
        {
            Command = [.. args.Skip(i)],
            Verbosity = verbosity,
            ExitCodesAsSuccess = successCodes.ToImmutable(),
        });
    }

    static PrintAndExit Fail(string message) => new(2, Stderr: $"corral: {message}\n\n{Usage}");
}
