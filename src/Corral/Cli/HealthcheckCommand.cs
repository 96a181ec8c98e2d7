using Corral.Core.Config.Argv;
using Corral.Core.Supervision.Services;
using Corral.Os.Logging;
using Corral.Os.Signals;
using Corral.Runtime;

namespace Corral.Cli;

/// <summary>
/// <c>corral healthcheck [NAME…]</c>: for Docker's HEALTHCHECK, on images without curl. Reads
/// the status file the running Corral keeps, never talks to it (so a periodic check never wakes
/// it), and exits 0 when every service that should be up is running and ready, 1 otherwise,
/// with a one-line reason either way.
/// </summary>
public static class HealthcheckCommand
{
    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var read = HealthcheckArgs.Read(args);
        if (read.Message is { } message)
        {
            StdIo.Out(message.Stdout);
            StdIo.Err(message.Stderr);
            return message.Code;
        }
        var runDirectory = read.Spec!.RunDirectory ?? Config.RunDirectory.Of(env);
        var names = read.Spec.Names;
        var status = StatusFile.Read(StatusFile.PathIn(runDirectory), out var error);
        if (status is null)
        {
            StdIo.Out($"unhealthy: {error}\n");
            return 1;
        }
        // A status file outlives a Corral that was killed: believe it only while Corral lives.
        if (Kill.Process(status.Corral.Pid, 0) is var errno and not 0 and not Os.Native.Errno.EPERM)
        {
            StdIo.Out($"unhealthy: corral (pid {status.Corral.Pid}) is not running\n");
            return 1;
        }
        var (healthy, reason) = Health.Evaluate(status, names);
        StdIo.Out($"{(healthy ? "healthy" : "unhealthy")}: {reason}\n");
        return healthy ? 0 : 1;
    }
}
