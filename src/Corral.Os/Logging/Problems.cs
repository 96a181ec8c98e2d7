using Corral.Os.Native;

namespace Corral.Os.Logging;

/// <summary>
/// Plain words for the I/O exceptions users meet (a missing config, a read-only /run). The
/// binary is built without the runtime's message texts (UseSystemResourceKeys), so their own
/// Message would be a resource key; on Unix an IOException's HResult is the errno, which
/// <see cref="Errno.Describe"/> words as the C library does.
/// </summary>
public static class Problems
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        IOException { HResult: > 0 and < 4096 } io => Errno.Describe(io.HResult).ToLowerInvariant(),
        // Windows-style codes the runtime uses for "exists" (ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS).
        IOException { HResult: var h } when (h & 0xffff) is 80 or 183 => "it already exists",
        IOException => "input/output error",
        _ => $"unexpected {e.GetType().Name}",
    };

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
