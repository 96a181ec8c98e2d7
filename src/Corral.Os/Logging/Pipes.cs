using System.Runtime.InteropServices;
using Corral.Os.Native;
using Corral.Os.Spawning;

namespace Corral.Os.Logging;

/// <summary>Pipes and files for a child's standard streams. Corral's own ends are close-on-exec.</summary>
public static unsafe class Pipes
{
    /// <summary>A pipe: (read end, write end), both close-on-exec; or the errno.</summary>
    public static (int Read, int Write, int Errno) Create()
    {
        int* fds = stackalloc int[2];
        return Unistd.pipe2(fds, Fcntl.O_CLOEXEC) == 0 ? (fds[0], fds[1], 0) : (-1, -1, Errno.Last);
    }

    /// <summary>Opens a file for appending (created 0644); returns fd or -errno.</summary>
    public static int OpenForAppend(string path)
    {
        var p = NativeStrings.Utf8(path);
        try
        {
            var fd = Fcntl.open(p, Fcntl.O_WRONLY | Fcntl.O_APPEND | Fcntl.O_CREAT | Fcntl.O_CLOEXEC, 0x1a4);
            return fd >= 0 ? fd : -Errno.Last;
        }
        finally { NativeMemory.Free(p); }
    }

    /// <summary>Opens a file for reading (e.g. /dev/null as a service's stdin); returns fd or -errno.</summary>
    public static int OpenRead(string path)
    {
        var p = NativeStrings.Utf8(path);
        try
        {
            var fd = Fcntl.open(p, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
            return fd >= 0 ? fd : -Errno.Last;
        }
        finally { NativeMemory.Free(p); }
    }

    /// <summary>Writes one byte: wakes a thread that polls the pipe's read end.</summary>
    public static void Poke(int fd)
    {
        byte b = 1;
        Unistd.write(fd, &b, 1);
    }

    public static void Close(int fd)
    {
        if (fd >= 0) Unistd.close(fd);
    }
}
