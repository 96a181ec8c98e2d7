using Corral.Cli;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Corral;

public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return CommandLine.Dispatch(args);
        }
        catch (Exception e)
        {
            // PID 1 must never die with a trace: say what went wrong in one line.
            Os.Logging.StdIo.Err($"corral: internal error: {Os.Logging.Problems.Internal(e)}\n");
            return 70;
        }
    }
}
