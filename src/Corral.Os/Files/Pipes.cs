using Corral.Os.Native;

namespace Corral.Os.Files;

/// <summary>Pipes: a child's standard streams, and the wake-up pipes of threads that poll.</summary>
public static unsafe class Pipes
{
    /// <summary>
    /// A pipe: (read end, write end), both close-on-exec (a child gets an end only through its
    /// spawn's file actions); or the errno. Non-blocking when a writer must never wait for its
    /// reader (a signal handler).
    /// </summary>
    public static (int Read, int Write, int Errno) Create(bool nonBlocking = false)
    {
        int* fds = stackalloc int[2];
        var flags = Fcntl.O_CLOEXEC | (nonBlocking ? Fcntl.O_NONBLOCK : 0);
        return Unistd.pipe2(fds, flags) == 0 ? (fds[0], fds[1], 0) : (-1, -1, Errno.Last);
    }

    /// <summary>
    /// A pipe to a child's stdin: (read end, write end), both close-on-exec; only Corral's write
    /// end is non-blocking (the flag belongs to the open file, and the child's end must block
    /// for its reads), so a listener that does not read can never hold up the event loop.
    /// </summary>
    public static (int Read, int Write, int Errno) CreateToChild()
    {
        var (read, write, errno) = Create();
        if (errno != 0) return (read, write, errno);
        var flags = Fcntl.fcntl(write, Fcntl.F_GETFL, 0);
        if (flags < 0 || Fcntl.fcntl(write, Fcntl.F_SETFL, flags | Fcntl.O_NONBLOCK) < 0)
        {
            var e = Errno.Last;
            Unistd.close(read);
            Unistd.close(write);
            return (-1, -1, e);
        }
        return (read, write, 0);
    }

    /// <summary>Writes what fits without waiting: the bytes written, or the errno (EAGAIN: the pipe is full).</summary>
    public static (int Written, int Errno) TryWrite(int fd, ReadOnlySpan<byte> data)
    {
        var written = 0;
        fixed (byte* p = data)
        {
            while (written < data.Length)
            {
                var n = Unistd.write(fd, p + written, data.Length - written);
                if (n > 0) { written += (int)n; continue; }
                if (n < 0 && Errno.Last == Errno.EINTR) continue;
                return (written, n == 0 ? Errno.EIO : Errno.Last);
            }
        }
        return (written, 0);
    }

    /// <summary>Writes one byte: wakes a thread that polls the pipe's read end.</summary>
    public static void Poke(int fd)
    {
        byte b = 1;
        Unistd.write(fd, &b, 1);
    }
}
