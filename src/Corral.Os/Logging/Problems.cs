namespace Corral.Os.Logging;

/// <summary>Plain words for the I/O exceptions users meet; see <see cref="Core.Config.FileProblems"/>.</summary>
public static class Problems
{
    public static string Describe(Exception e) => Core.Config.FileProblems.Describe(e);

    /// <summary>
    /// What to do when Corral cannot make its run directory or control socket (a read-only
    /// root, a /run that is not writable by the container's user).
    /// </summary>
    public const string WritableRunDirectoryAdvice =
        "give Corral a writable directory: mount a tmpfs on /run (docker run --tmpfs /run), " +
        "or set CORRAL_RUN_DIR (e.g. /tmp/corral), or control.socket in the config";
}
