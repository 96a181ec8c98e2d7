using System.Runtime.InteropServices;
using Corral.Os.Native;
using Corral.Os.Spawning;

namespace Corral.Os.Files;

/// <summary>
/// File descriptors: the three standard ones, opening files, duplicating, closing. Every
/// descriptor Corral opens for itself is close-on-exec, so a child inherits only what its
/// spawn's file actions give it.
/// </summary>
public static unsafe class Descriptors
{
    public const int StandardInput = Unistd.STDIN_FILENO, StandardOutput = Unistd.STDOUT_FILENO,
        StandardError = Unistd.STDERR_FILENO;

    /// <summary>Whether fd is a terminal: isatty(3).</summary>
    public static bool IsTerminal(int fd) => Unistd.isatty(fd) == 1;

    /// <summary>Opens a file for appending (created 0644); returns fd or -errno.</summary>
    public static int OpenForAppend(string path) =>
        Open(path, Fcntl.O_WRONLY | Fcntl.O_APPEND | Fcntl.O_CREAT, 0x1a4);

    /// <summary>Opens a file for reading (e.g. /dev/null as a service's stdin); returns fd or -errno.</summary>
    public static int OpenRead(string path) => Open(path, Fcntl.O_RDONLY, 0);

    static int Open(string path, int flags, uint mode)
    {
        var p = NativeStrings.Utf8(path);
        try
        {
            var fd = Fcntl.open(p, flags | Fcntl.O_CLOEXEC, mode);
            return fd >= 0 ? fd : -Errno.Last;
        }
        finally { NativeMemory.Free(p); }
    }

    /// <summary>
    /// A close-on-exec duplicate of fd, numbered 3 or above (for a server that closes what it
    /// is given, such as Kestrel with a listening socket); or -errno.
    /// </summary>
    public static int Duplicate(int fd) =>
        Fcntl.fcntl(fd, Fcntl.F_DUPFD_CLOEXEC, 3) is var copy and >= 0 ? copy : -Errno.Last;

    /// <summary>Whether two descriptors refer to the same file (one pipe, one terminal, one log file); false when either cannot be read.</summary>
    public static bool SameFile(int a, int b) => Stat.Identity(a) is { } x && Stat.Identity(b) is { } y && x == y;

    /// <summary>How long the open file is (lseek to its end); or -errno.</summary>
    public static long Length(int fd) => Unistd.lseek(fd, 0, Unistd.SEEK_END) is var end and >= 0 ? end : -Errno.Last;

    /// <summary>Cuts the file to length bytes (ftruncate); 0 or the errno.</summary>
    public static int Truncate(int fd, long length) => Unistd.ftruncate(fd, length) == 0 ? 0 : Errno.Last;

    /// <summary>
    /// Writes all of data (retrying short writes and EINTR): 0, or the errno that stopped it with
    /// how much had been written. Unlike Output.Write, for files whose errors matter (a full disk).
    /// </summary>
    public static int WriteAll(int fd, ReadOnlySpan<byte> data, out long written)
    {
        written = 0;
        fixed (byte* p = data)
        {
            while (written < data.Length)
            {
                var n = Unistd.write(fd, p + written, (nint)(data.Length - written));
                if (n > 0) { written += n; continue; }
                if (n < 0 && Errno.Last == Errno.EINTR) continue;
                return n == 0 ? Errno.EIO : Errno.Last;
            }
        }
        return 0;
    }

    /// <summary>Renames a file (rename(2), replacing the target); 0 or the errno.</summary>
    public static int Rename(string from, string to)
    {
        var f = NativeStrings.Utf8(from);
        var t = NativeStrings.Utf8(to);
        try { return Stdio.rename(f, t) == 0 ? 0 : Errno.Last; }
        finally
        {
            NativeMemory.Free(f);
            NativeMemory.Free(t);
        }
    }

    /// <summary>Closes fd; a negative fd (never opened) is ignored.</summary>
    /// <summary>
    /// fdmove: descriptor from becomes to (dup2, which leaves the copy inheritable), and from is
    /// closed unless copy; 0 or the errno.
    /// </summary>
    public static int Move(int from, int to, bool copy)
    {
        // The same number: made inheritable, as dup2 would have made a copy.
        if (from == to) return Fcntl.fcntl(from, Fcntl.F_SETFD, 0) < 0 ? Errno.Last : 0;
        if (Unistd.dup2(from, to) < 0) return Errno.Last;
        if (!copy) Unistd.close(from);
        return 0;
    }

    public static void Close(int fd)
    {
        if (fd >= 0) Unistd.close(fd);
    }

    /// <summary>The open-file limit (RLIMIT_NOFILE): soft and hard.</summary>
    public static (ulong Soft, ulong Hard) Limit()
    {
        Resource.rlimit rl;
        return Resource.getrlimit(Resource.RLIMIT_NOFILE, &rl) == 0 ? (rl.rlim_cur, rl.rlim_max) : (0, 0);
    }

    /// <summary>
    /// How many descriptors are free at most: the kernel hands out the lowest free number, so
    /// every number below a new one is in use, and at most (soft limit − that number) are free.
    /// One dup and one close; 0 when none is free at all.
    /// </summary>
    public static long FreeAtMost()
    {
        var probe = Duplicate(StandardError);
        if (probe < 0) probe = Fcntl.fcntl(0, Fcntl.F_DUPFD_CLOEXEC, 0);
        if (probe < 0) return 0;
        Close(probe);
        var soft = Limit().Soft;
        return soft >= long.MaxValue ? long.MaxValue : (long)soft - probe;
    }

    /// <summary>Sets the soft open-file limit (the hard one unchanged); 0 or the errno.</summary>
    public static int SetSoftLimit(ulong soft)
    {
        var rl = new Resource.rlimit { rlim_cur = soft, rlim_max = Limit().Hard };
        return Resource.setrlimit(Resource.RLIMIT_NOFILE, &rl) == 0 ? 0 : Errno.Last;
    }
}
