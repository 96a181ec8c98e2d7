using Corral.Os.Native;

namespace Corral.Os.Logging;

/// <summary>
/// Writes whole buffers to a descriptor. Every writer to Corral's stdout and stderr goes through
/// here, under a lock per descriptor, so lines from different sources never interleave mid-line,
/// and a stdout nobody reads never holds up what goes to stderr. The lock guards only the write.
/// </summary>
public static unsafe class Output
{
    static readonly object stdout = new(), stderr = new(), others = new();

    public static void Write(int fd, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (fd == Unistd.STDOUT_FILENO ? stdout : fd == Unistd.STDERR_FILENO ? stderr : others)
        {
            fixed (byte* p = data)
            {
                nint done = 0;
                while (done < data.Length)
                {
                    var n = Unistd.write(fd, p + done, data.Length - done);
                    if (n > 0) { done += n; continue; }
                    if (n < 0 && Errno.Last == Errno.EINTR) continue;
                    return; // a closed or broken stream: drop, never block or die
                }
            }
        }
    }
}
