using Corral.Core.Config.Argv;
using Corral.Core.Model;
using Corral.Core.Supervision.Init;
using Corral.Os.Spawning;
using Corral.Os.Logging;

namespace Corral.Cli;

/// <summary><c>corral exec</c>: set this process up, then become the command.</summary>
public static class ExecCommand
{
    public static int Run(string[] args)
    {
        var outcome = ExecArgs.Read(args);
        if (outcome.Message is { } m)
        {
            StdIo.Out(m.Stdout);
            StdIo.Err(m.Stderr);
            return m.Code;
        }
        var spec = outcome.Spec!;
        var (errno, message) = ChainLoader.Exec(spec);
        if (spec.ReportFd is { } fd) ChainLoader.Report(fd, errno);
        // In a personality, the child speaks as tini's or dumb-init's child would.
        switch (spec.ErrorStyle)
        {
            case Personality.Tini:
                StdIo.Err(TiniArgs.Fatal(Os.Pid1.ProcessIdentity.Pid, $"exec {spec.Command[0]} failed: {Os.Native.Errno.Describe(errno)}"));
                return errno switch { 2 => 127, 13 => 126, _ => 1 };
            case Personality.DumbInit:
                StdIo.Err($"[dumb-init] {spec.Command[0]}: {Os.Native.Errno.Describe(errno)}\n");
                return 2;
            default:
                StdIo.Err($"corral exec: {message}\n");
                return InitAutomaton.ExecFailureCode(errno);
        }
    }
}
