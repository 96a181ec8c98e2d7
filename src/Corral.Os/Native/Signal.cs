using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>signal.h</summary>
public static unsafe partial class Signal
{
    public static readonly IntPtr SIG_DFL = 0, SIG_IGN = 1;

    /// <summary>glibc's sigset_t: 1024 bits.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct sigset_t { public fixed ulong val[16]; }

    [LibraryImport(Libc.Name, EntryPoint = "kill", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Libc.Name, EntryPoint = "signal", SetLastError = true)]
    public static partial IntPtr signal(int signum, IntPtr handler);

    /// <summary>glibc's struct sigaction: the handler comes first; the rest is kept opaque.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    public struct sigaction_t { public IntPtr sa_handler; }

    [LibraryImport(Libc.Name, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int sigaction(int signum, sigaction_t* act, sigaction_t* oldact);

    [LibraryImport(Libc.Name, EntryPoint = "sigismember")]
    public static partial int sigismember(sigset_t* set, int signum);

    [LibraryImport(Libc.Name, EntryPoint = "raise")]
    public static partial int raise(int sig);

    [LibraryImport(Libc.Name, EntryPoint = "sigemptyset")]
    public static partial int sigemptyset(sigset_t* set);

    [LibraryImport(Libc.Name, EntryPoint = "sigfillset")]
    public static partial int sigfillset(sigset_t* set);

    [LibraryImport(Libc.Name, EntryPoint = "sigaddset")]
    public static partial int sigaddset(sigset_t* set, int signum);

    [LibraryImport(Libc.Name, EntryPoint = "sigdelset")]
    public static partial int sigdelset(sigset_t* set, int signum);

    public const int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

    [LibraryImport(Libc.Name, EntryPoint = "pthread_sigmask")]
    public static partial int pthread_sigmask(int how, sigset_t* set, sigset_t* oldset);
}
