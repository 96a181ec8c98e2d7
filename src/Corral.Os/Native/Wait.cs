using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>sys/wait.h</summary>
public static unsafe partial class Wait
{
    public const int P_ALL = 0, P_PID = 1, P_PGID = 2;
    public const int WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    public const int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

    /// <summary>The fields of siginfo_t that waitid fills for a child (x86-64 layout).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    public struct siginfo_t
    {
        [FieldOffset(0)] public int si_signo;
        [FieldOffset(4)] public int si_errno;
        [FieldOffset(8)] public int si_code;
        [FieldOffset(16)] public int si_pid;
        [FieldOffset(20)] public uint si_uid;
        [FieldOffset(24)] public int si_status;
    }

    [LibraryImport(Libc.Name, EntryPoint = "waitid", SetLastError = true)]
    public static partial int waitid(int idtype, int id, siginfo_t* infop, int options);
}
