using System.Text;
using Corral.Os.Native;

namespace Corral.Os.Output;

/// <summary>
/// Corral's own stdout and stderr, written with write(2). System.Console is never used: on
/// Unix it sets up terminal handling that installs a SIGCHLD handler, and with it the
/// runtime's own reaping, which would race Corral's reaper (DESIGN.md, PID 1 rule 1).
/// </summary>
public static unsafe class StdIo
{
    public static void Out(string text) => Write(Unistd.STDOUT_FILENO, text);
    public static void Err(string text) => Write(Unistd.STDERR_FILENO, text);

    public static bool IsTerminal(int fd) => Unistd.isatty(fd) == 1;

    /// <summary>Writes all of text; gives up silently on a closed or broken stream.</summary>
    public static void Write(int fd, string text)
    {
        if (text.Length == 0) return;
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            nint done = 0;
            while (done < bytes.Length)
            {
                var n = Unistd.write(fd, p + done, bytes.Length - done);
                if (n > 0) { done += n; continue; }
                if (n < 0 && Errno.Last == Errno.EINTR) continue;
                return;
            }
        }
    }
}
