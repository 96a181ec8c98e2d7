using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>stdio.h: rename, for rotating log files.</summary>
public static unsafe partial class Stdio
{
    [LibraryImport(Libc.Name, EntryPoint = "rename", SetLastError = true)]
    public static partial int rename(byte* oldpath, byte* newpath);
}
