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
    const string Usage = """
        Usage: corral healthcheck [--run-dir DIR] [NAME...]

        Exit 0 when every service of the running `corral run` that should be up is running and
        ready (or only the NAMEd ones), 1 otherwise; one line says why. For a Dockerfile:
          HEALTHCHECK CMD ["corral", "healthcheck"]
        DIR: --run-dir, else $CORRAL_RUN_DIR, else /run/corral.

        """;

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var runDirectory = StatusFile.RunDirectory(env);
        var names = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help": StdIo.Out(Usage); return 0;
                case "--run-dir" when i + 1 < args.Length: runDirectory = args[++i]; break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        StdIo.Err($"corral healthcheck: unknown option '{args[i]}'\n\n{Usage}");
                        return 2;
                    }
                    names.Add(args[i]);
                    break;
            }
        }
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
