using System.Runtime.InteropServices;

namespace Corral.Tests.Infrastructure;

/// <summary>The few system calls tests need to observe and poke processes.</summary>
public static partial class Native
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    public static void Kill(int pid, int signal)
    {
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
