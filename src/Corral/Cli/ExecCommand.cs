using Corral.Core.Config.Argv;
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
        StdIo.Err($"corral exec: {message}\n");
        return InitAutomaton.ExecFailureCode(errno);
    }
}
