using Corral.Os.Native;

namespace Corral.Os.Files;

/// <summary>File descriptors by number: the three standard ones, and whether one is a terminal.</summary>
public static class Descriptors
{
    public const int StandardInput = Unistd.STDIN_FILENO, StandardOutput = Unistd.STDOUT_FILENO,
        StandardError = Unistd.STDERR_FILENO;

    /// <summary>Whether fd is a terminal: isatty(3).</summary>
    public static bool IsTerminal(int fd) => Unistd.isatty(fd) == 1;
}
