using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>
/// corral_signals.c, Corral's own C, linked into the executable: the signal state from before
/// the runtime started, and a handler that tells a sent fault signal from a real fault.
/// </summary>
public static unsafe partial class CorralSignals
{
    const string Name = "corral_signals";

    /// <summary>The mask Corral was started with, bit N-1 for signal N.</summary>
    [LibraryImport(Name, EntryPoint = "corral_start_blocked")]
    public static partial ulong corral_start_blocked();

    /// <summary>The signals ignored when Corral was started, bit N-1 for signal N.</summary>
    [LibraryImport(Name, EntryPoint = "corral_start_ignored")]
    public static partial ulong corral_start_ignored();

    /// <summary>Every delivery (or, with only_sent, those sent by another process) as a byte on fd. Returns 0 or an errno.</summary>
    [LibraryImport(Name, EntryPoint = "corral_forward_signals")]
    public static partial int corral_forward_signals(int fd, int* signals, int count, int only_sent);
}
