using Corral.Compat;
using Corral.Core.Config.Argv;
using Corral.Core.Model;
using Corral.Os.Logging;
using Corral.Runtime;

namespace Corral.Cli;

/// <summary>
/// Chooses what Corral is from how it was called: by the name it was invoked as (tini,
/// docker-init, dumb-init), then by its first argument (a verb such as exec), else the
/// single-child init.
/// </summary>
public static class CommandLine
{
    public const string Version = "0.1.0";

    public static int Dispatch(string[] args)
    {
        var argv0 = Environment.GetCommandLineArgs()[0];
        var invokedAs = Path.GetFileName(argv0);
        var env = ReadEnvironment();
        switch (invokedAs)
        {
            case "tini" or "docker-init" or "tini-static":
                return Finish(TiniArgs.Read(argv0, args, env, Version, Os.Pid1.ProcessIdentity.Pid));
            case "dumb-init":
                return Finish(DumbInitArgs.Read(argv0, args, env));
        }
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
            }
        }
        return Finish(CorralInitArgs.Read(args, env, Version));
    }

    /// <summary>
    /// <c>corral sentinel</c>: a child that does nothing until signalled. `corral run` as PID 1
    /// keeps one while no service process is alive, so that its reaper, blocked in waitid on that
    /// child, also wakes for orphans that come in from outside (a `docker exec` session's
    /// background jobs) — without a SIGCHLD handler and without polling.
    /// </summary>
    static int Sentinel()
    {
        while (true) Os.Native.Unistd.pause();
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

    /// <summary>Corral's own environment, as the commands and the config's ${VAR} see it.</summary>
    internal static Dictionary<string, string> ReadEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return env;
    }
}
