using Corral.Os.Native;

namespace Corral.Os.Signals;

/// <summary>
/// The signal mask and ignored signals Corral was started with, as they were before the .NET
/// runtime touched them (it handles SIGSEGV, ignores SIGPIPE and unblocks glibc's 32 and 33
/// before Main): recorded by a constructor in corral_signals.c. tini hands them on to its child
/// unchanged. Corral then clears its own mask so that no signal it honours stays blocked.
/// </summary>
public sealed record InheritedSignals(IReadOnlyList<int> Blocked, IReadOnlyList<int> Ignored)
{
    public static readonly InheritedSignals None = new([], []);

    /// <summary>Clears the signal mask; with capture, also returns the state Corral started with.</summary>
    public static unsafe InheritedSignals CaptureAndUnblock(bool capture)
    {
        Signal.sigset_t empty;
        Signal.sigemptyset(&empty);
        Signal.pthread_sigmask(Signal.SIG_SETMASK, &empty, null);
        if (!capture) return None;
        return new InheritedSignals(
            Numbers(CorralSignals.corral_start_blocked()),
            Numbers(CorralSignals.corral_start_ignored()));
    }

    static List<int> Numbers(ulong bits)
    {
        var list = new List<int>();
        for (var sig = 1; sig <= 64; sig++)
            if ((bits & (1UL << (sig - 1))) != 0) list.Add(sig);
        return list;
    }
}
