using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>sys/prctl.h</summary>
public static partial class Prctl
{
    public const int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_SET_CHILD_SUBREAPER = 36,
        PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;

    [LibraryImport(Libc.Name, EntryPoint = "prctl", SetLastError = true)]
    public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport(Libc.Name, EntryPoint = "prctl", SetLastError = true)]
    public static unsafe partial int prctl(int option, int* arg2, ulong arg3, ulong arg4, ulong arg5);
}
