using Corral.Os.Native;

namespace Corral.Os.Logging;

/// <summary>
/// Plain words for the I/O exceptions users meet (a missing config, a read-only /run). The
/// binary is built without the runtime's message texts (UseSystemResourceKeys), so an
/// exception's own Message is a resource key and is never shown.
/// </summary>
public static class Problems
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        // On Linux the runtime puts errno itself in HResult; Windows-style codes are negative.
        IOException { HResult: > 0 and < 4096 } io => Lower(Errno.Describe(io.HResult)),
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

    static string Lower(string text) => text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}
