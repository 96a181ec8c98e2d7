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
}
