using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>errno.h: the errno values Corral reacts to, and glibc's own words for any errno.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENOEXEC = 8, ECHILD = 10,
        EAGAIN = 11, EACCES = 13, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOTTY = 25, ELOOP = 40,
        ENAMETOOLONG = 36, ENOSPC = 28, EBADF = 9, EMFILE = 24;

    /// <summary>The message glibc prints for errno (strerror), e.g. "No such file or directory".</summary>
    public static string Describe(int errno) =>
        Marshal.PtrToStringUTF8(StringH.strerror(errno)) ?? $"errno {errno}";

    /// <summary>errno of the last P/Invoke marked SetLastError.</summary>
    public static int Last => Marshal.GetLastPInvokeError();
}
