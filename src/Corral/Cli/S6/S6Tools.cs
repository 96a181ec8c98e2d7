using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Os.Logging;
using Corral.Os.Spawning;

namespace Corral.Cli.S6;

/// <summary>
/// Overview: the helper commands of s6-overlay images, as personalities of Corral chosen by the
/// name it is called by (symlinks in /command, /usr/bin, /run/s6/basedir/bin). Each does what
/// scripts of public images expect of the skarnet program of that name, with its exit codes:
/// 100 wrong usage, 111 a system call (or Corral's control socket) failed, 99 a wait timed out,
/// 126/127 the program to exec cannot be run / was not found. The ones that act on services
/// (s6-svc, s6-svwait, s6-svstat, s6-svscanctl, s6-rc, halt) talk to the running Corral through
/// its control API, the same one `corral ctl` uses; the others change this process and exec.
/// </summary>
public static class S6Tools
{
    public const int WrongUsage = 100, SystemFailure = 111, TimedOut = 99;

    /// <summary>The exit code of the personality named invokedAs; null when that is none of them.</summary>
    public static int? Run(string invokedAs, string[] args, IReadOnlyDictionary<string, string> env) => invokedAs switch
    {
        "with-contenv" => WithContenv.Run(args, env),
        "s6-setuidgid" => Uidgid.Run(args, env: false),
        "s6-envuidgid" => Uidgid.Run(args, env: true),
        "fdmove" => Fdmove.Run(args),
        "s6-notifyoncheck" => NotifyOnCheck.Run(args),
        "s6-svc" => Svc.Run(args, env),
        "s6-svwait" => Svwait.Run(args, env),
        "s6-svstat" => Svstat.Run(args, env),
        "s6-svscanctl" => Svscanctl.Run(args, env),
        "s6-rc" => S6Rc.Run(args, env),
        "halt" => Halt.Run(args, env),
        _ => null,
    };

    /// <summary>A usage error, said as skarnet's programs say it: the error, then the usage line.</summary>
    public static int Usage(string program, string error, string usage)
    {
        StdIo.Err($"{program}: fatal: {error}\n{usage}");
        return WrongUsage;
    }

    public static int Fatal(string program, string message, int code = SystemFailure)
    {
        StdIo.Err($"{program}: fatal: {message}\n");
        return code;
    }

    /// <summary>Becomes the command (execvp); returns only on failure, with the code execline gives: 127 not found, 126 otherwise.</summary>
    public static int Exec(string program, ExecSpec spec)
    {
        var (errno, message) = ChainLoader.Exec(spec);
        StdIo.Err($"{program}: fatal: {message}\n");
        return errno == 2 ? 127 : 126;
    }

    public static ExecSpec Command(IEnumerable<string> argv, ImmutableArray<string>? environment = null) =>
        new() { Command = [.. argv], Environment = environment };
}
