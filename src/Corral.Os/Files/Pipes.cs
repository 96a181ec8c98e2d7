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

    /// <summary>Writes one byte: wakes a thread that polls the pipe's read end.</summary>
    public static void Poke(int fd)
    {
        byte b = 1;
        Unistd.write(fd, &b, 1);
    }
}
