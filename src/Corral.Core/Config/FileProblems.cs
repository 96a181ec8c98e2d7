using System.Runtime.InteropServices;

namespace Corral.Core.Config;

/// <summary>
/// Plain words for the I/O exceptions users meet (a missing config, a read-only /run). The
/// binary is built without the runtime's message texts (UseSystemResourceKeys), so their own
/// Message would be a resource key; on Unix an IOException's HResult is the errno, which the
/// C library can word.
/// </summary>
public static class FileProblems
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        IOException { HResult: > 0 and < 4096 } io => Marshal.GetPInvokeErrorMessage(io.HResult).ToLowerInvariant(),
        // Windows-style codes the runtime uses for "exists" (ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS).
        IOException { HResult: var h } when (h & 0xffff) is 80 or 183 => "it already exists",
        IOException => "input/output error",
        _ => $"unexpected {e.GetType().Name}",
    };
}
