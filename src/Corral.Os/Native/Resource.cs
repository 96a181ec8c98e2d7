using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>sys/resource.h</summary>
public static unsafe partial class Resource
{
    public const int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
        RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
        RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
        RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15;

    public const ulong RLIM_INFINITY = ulong.MaxValue;

    [StructLayout(LayoutKind.Sequential)]
    public struct rlimit { public ulong rlim_cur; public ulong rlim_max; }

    [LibraryImport(Libc.Name, EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int setrlimit(int resource, rlimit* rlim);

    [LibraryImport(Libc.Name, EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int getrlimit(int resource, rlimit* rlim);
}
