using Corral.Os.Native;
using Corral.Os.Spawning;

namespace Corral.Os.Pid1;

/// <summary>Corral's own working directory.</summary>
public static unsafe class WorkingDirectory
{
    /// <summary>Changes directory; returns 0 or errno.</summary>
    public static int Change(string path)
    {
        var p = NativeStrings.Utf8(path);
        try { return Unistd.chdir(p) == 0 ? 0 : Errno.Last; }
        finally { System.Runtime.InteropServices.NativeMemory.Free(p); }
    }

    /// <summary>
    /// A close-on-exec O_PATH descriptor of the current directory (a child can fchdir to it even
    /// when its path is gone or unreadable), or -1.
    /// </summary>
    public static int OpenCurrent()
    {
        var p = NativeStrings.Utf8(".");
        try { return Fcntl.open(p, Fcntl.O_PATH | Fcntl.O_CLOEXEC, 0); }
        finally { System.Runtime.InteropServices.NativeMemory.Free(p); }
    }

    public static void Close(int fd) => Files.Descriptors.Close(fd);
}
