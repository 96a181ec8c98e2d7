namespace Corral.Os.Logging;

/// <summary>
/// Plain words for the I/O exceptions users meet (a missing config, a read-only /run). The
/// binary is built without the runtime's message texts (UseSystemResourceKeys), so their own
/// Message would be a resource key.
/// </summary>
public static class Problems
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        IOException io when io.HResult is var h && (h & 0xffff) is 30 => "read-only file system",
        IOException io when io.HResult is var h && (h & 0xffff) is 28 => "no space left on device",
        _ => e.Message,
    };
}
