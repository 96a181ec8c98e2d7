using System.Runtime.InteropServices;

namespace Corral.Tests.Infrastructure;

/// <summary>The few system calls tests need to observe and poke processes.</summary>
public static partial class Native
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    private static partial int getpgid(int pid);

    /// <summary>The process group of pid, or -1 when it is gone.</summary>
    public static int GroupOf(int pid) => getpgid(pid);

    /// <summary>Sends a signal and returns 0 or the errno, for storms where a gone target is no failure.</summary>
    public static int TryKill(int pid, int signal) => kill(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void Kill(int pid, int signal)
    {
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
