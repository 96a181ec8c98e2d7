using System.Text;
using Corral.Os.Native;

namespace Corral.Os.Logging;

/// <summary>
/// Corral's own stdout and stderr, written with write(2). System.Console is never used: on
/// Unix it sets up terminal handling that installs a SIGCHLD handler, and with it the
/// runtime's own reaping, which would race Corral's reaper (DESIGN.md, PID 1 rule 1).
/// </summary>
public static unsafe class StdIo
{
    public static void Out(string text) => Write(Unistd.STDOUT_FILENO, text);
    public static void Err(string text) => Write(Unistd.STDERR_FILENO, text);

    /// <summary>Writes all of text, under the output lock shared with the log pump.</summary>
    public static void Write(int fd, string text)
    {
        if (text.Length == 0) return;
        Output.Write(fd, Encoding.UTF8.GetBytes(text));
    }
}
