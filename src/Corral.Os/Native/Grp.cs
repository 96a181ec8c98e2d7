using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>grp.h: the supplementary groups of the chain-loader's target.</summary>
public static unsafe partial class Grp
{
    [LibraryImport(Libc.Name, EntryPoint = "setgroups", SetLastError = true)]
    public static partial int setgroups(nint size, uint* list);
}
