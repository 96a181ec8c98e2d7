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

    /// <summary>
    /// An exception Corral did not expect, in words: its type (the message would be a resource
    /// key in this build) and what to do. Never a stack trace; the caller goes on.
    /// </summary>
    public static string Internal(Exception e) =>
        e is IOException or UnauthorizedAccessException
            ? Describe(e)
            : $"unexpected {e.GetType().Name} (a bug in Corral: please report it, with what led to it)";
}
