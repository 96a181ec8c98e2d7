using Corral.Compat;
using Corral.Core.Config.Argv;
using Corral.Core.Model;
using Corral.Os.Logging;
using Corral.Runtime;

namespace Corral.Cli;

/// <summary>
/// Chooses what Corral is from how it was called: by the name it was invoked as (tini,
/// docker-init, dumb-init, supervisord, init for s6-overlay's /init), then by its first argument (a verb such as exec), else the
/// single-child init.
/// </summary>
public static class CommandLine
{
    public const string Version = Core.Product.Version;

    /// <summary>The verbs a user may type (sentinel is Corral's own, never typed).</summary>
    static readonly string[] verbs = ["run", "check", "healthcheck", "ctl", "exec", "help", "version"];

    public static int Dispatch(string[] args)
    {
        var argv0 = Environment.GetCommandLineArgs()[0];
        var invokedAs = Path.GetFileName(argv0);
        var env = Config.ProcessVariables.Read();
        switch (invokedAs)
        {
            case "tini" or "docker-init" or "tini-static":
                return Finish(TiniArgs.Read(argv0, args, env, Version, Os.Pid1.ProcessIdentity.Pid));
            case "dumb-init":
                return Finish(DumbInitArgs.Read(argv0, args, env));
            case "supervisord":
                return Supervisord(argv0, args, env);
            case "supervisorctl":
                return Supervisorctl.Run(argv0, args, env);
            case "init":
                // s6-overlay's /init: the image's s6 tree, then its CMD (the arguments).
                return S6InitCommand.Run(args, env);
            case S6.NotifyOnCheck.CheckerName:
                return S6.NotifyOnCheck.Checker(args);
        }
        if (S6.S6Tools.Run(invokedAs, args, env) is { } s6) return s6;
        if (args.Length > 0)
        {
            switch (args[0])
            {
                case "exec": return ExecCommand.Run(args[1..]);
                case "sentinel": return Sentinel();
                case "run": return RunCommand.Run(args[1..], env);
                case "check": return RunCommand.Check(args[1..], env);
                case "healthcheck": return HealthcheckCommand.Run(args[1..], env);
                case "ctl": return CtlCommand.Run(args[1..], env);
                case "help": return Help(args[1..], env);
                case "version": return VersionVerb(args[1..]);
            }
            if (MistypedVerb(args[0], env) is { } verb)
            {
                StdIo.Err($"corral: '{args[0]}' is neither a verb of corral nor a program on PATH; did you mean `corral {verb}`?\n" +
                    $"(to run a program of that name, give its path: corral -- ./{args[0]})\n");
                return 2;
            }
        }
        return Finish(CorralInitArgs.Read(args, env, Version));
    }

    /// <summary>
    /// Invoked as supervisord: its command line, its config search, then `corral run -c FILE`.
    /// supervisord's places next to the executable are next to the name it was started by
    /// (the symlink), as supervisord takes them from its script's path.
    /// </summary>
    static int Supervisord(string argv0, string[] args, IReadOnlyDictionary<string, string> env)
    {
        var read = SupervisordArgs.Read(args, Version);
        if (read.Message is { } message)
        {
            StdIo.Out(message.Stdout);
            StdIo.Err(message.Stderr);
            return message.Code;
        }
        foreach (var note in read.Spec!.Notes) StdIo.Err(note + "\n");
        var started = argv0.Contains('/') ? argv0 : Os.Spawning.ProgramSearch.Find(argv0, env.GetValueOrDefault("PATH"), ".") ?? argv0;
        var places = SupervisordArgs.DefaultPlaces(Path.GetDirectoryName(Path.GetFullPath(started)) ?? "/");
        var file = read.Spec.ConfigFile ?? places.FirstOrDefault(File.Exists);
        if (file is null)
        {
            StdIo.Err($"Error: No config file found at default paths ({string.Join(", ", places)}); use the -c option to specify a config file at a different path\n" +
                "For help, use supervisord -h\n");
            return 2;
        }
        return RunCommand.Run(["-c", file], env);
    }

    static readonly OptionGrammar helpGrammar = new("corral help", [CliOption.HelpOption]);

    const string HelpUsage = """
        Usage: corral help [VERB [CTL-VERB]]

        The general usage, or a verb's (corral help run), or a verb of ctl's (corral help ctl wait).

        """;

    /// <summary><c>corral help [VERB [CTL-VERB]]</c>: the general usage, or the verb's own, printed from its option table.</summary>
    static int Help(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var parsed = helpGrammar.Parse(args);
        if (parsed.Has("help")) { StdIo.Out(HelpUsage); return 0; }
        if (parsed.Error is { } error) return UsageError(error, HelpUsage);
        var words = parsed.Operands;
        if (words.Count == 0) return Finish(CorralInitArgs.Read(["--help"], env, Version));
        if (words[0] is "help" or "version" || !verbs.Contains(words[0]))
        {
            var hint = EditDistance.Closest(words[0], verbs) is { } close ? $"; did you mean '{close}'?" : "";
            StdIo.Err($"corral help: no help for '{words[0]}'{hint} (verbs: {string.Join(", ", verbs)})\n");
            return 2;
        }
        if (words.Count > 2 || (words.Count == 2 && words[0] != "ctl"))
            return UsageError($"corral help: unexpected '{words[^1]}'", HelpUsage);
        // `help ctl wait` is `ctl wait --help`; ctl says so itself when wait is no verb of it.
        return Dispatch([.. words, "--help"]);
    }

    static readonly OptionGrammar versionGrammar = new("corral version", [CliOption.HelpOption]);

    /// <summary><c>corral version</c>: the version on stdout.</summary>
    static int VersionVerb(string[] args)
    {
        const string usage = "Usage: corral version\n\nPrint Corral's version.\n";
        var parsed = versionGrammar.Parse(args);
        if (parsed.Has("help")) { StdIo.Out(usage); return 0; }
        if (parsed.Error is { } error) return UsageError(error, usage);
        if (parsed.Operands.Count > 0) return UsageError($"corral version: unexpected '{parsed.Operands[0]}'", usage);
        StdIo.Out($"corral {Version}\n");
        return 0;
    }

    static int UsageError(string message, string usage)
    {
        StdIo.Err($"{message}\n\n{usage}");
        return 2;
    }

    /// <summary>
    /// A first word that is not a program but is a typo of a verb (`corral chek`): a usage error
    /// rather than "not found" (127) from the init. A real program of that name is always run.
    /// </summary>
    static string? MistypedVerb(string word, IReadOnlyDictionary<string, string> env)
    {
        if (word.StartsWith('-') || word.Contains('/')) return null;
        if (EditDistance.Closest(word, verbs) is not { } verb) return null;
        return Os.Spawning.ProgramSearch.Find(word, env.GetValueOrDefault("PATH"), ".") is null ? verb : null;
    }

    /// <summary>
    /// <c>corral sentinel</c>: a child that does nothing until signalled. `corral run` as PID 1
    /// keeps one while no service process is alive, so that its reaper, blocked in waitid on that
    /// child, also wakes for orphans that come in from outside (a `docker exec` session's
    /// background jobs) — without a SIGCHLD handler and without polling.
    /// </summary>
    static int Sentinel()
    {
        while (true) Os.Signals.Pause.UntilSignal();
    }

    static int Finish(ArgvOutcome outcome)
    {
        switch (outcome)
        {
            case PrintAndExit p:
                StdIo.Out(p.Stdout);
                StdIo.Err(p.Stderr);
                return p.Code;
            case RunInit r:
                return new InitRunner(r.Spec, VoiceFor(r.Spec)).Run(r.Notice);
            default:
                throw new InvalidOperationException("unknown outcome");
        }
    }

    static IInitVoice VoiceFor(InitSpec spec) => spec.Personality switch
    {
        Personality.Tini => new TiniVoice(spec),
        Personality.DumbInit => new DumbInitVoice(spec),
        _ => new CorralVoice(spec),
    };
}
