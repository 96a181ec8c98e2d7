using Corral.Os.Native;

namespace Corral.Os.Logging;

/// <summary>
/// Writes whole buffers to a descriptor. Every writer to Corral's stdout and stderr (the log
/// pump and the event loop's own messages) goes through here, under one lock, so lines from
/// different sources never interleave mid-line. The lock guards only the write.
/// </summary>
public static unsafe class Output
{
    static readonly object gate = new();

    public static void Write(int fd, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (gate)
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
