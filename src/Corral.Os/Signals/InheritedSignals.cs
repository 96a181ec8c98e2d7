using Corral.Os.Native;

namespace Corral.Os.Signals;

/// <summary>
/// The signal mask and ignored signals Corral was started with. tini hands them on to its
/// child unchanged; Corral captures them first thing, then clears its own mask so that no
/// signal it honours stays blocked. SIGPIPE is left out: the runtime ignores it before Main
/// runs, so whether the parent ignored it cannot be known.
/// </summary>
public sealed record InheritedSignals(IReadOnlyList<int> Blocked, IReadOnlyList<int> Ignored)
{
    public static readonly InheritedSignals None = new([], []);

    /// <summary>Clears the signal mask; with capture, first records what was blocked and ignored.</summary>
    public static unsafe InheritedSignals CaptureAndUnblock(bool capture)
    {
        Signal.sigset_t mask, empty;
        Signal.sigemptyset(&empty);
        Signal.pthread_sigmask(Signal.SIG_SETMASK, &empty, &mask);
        if (!capture) return None;
        var blocked = new List<int>();
        var ignored = new List<int>();
        var ignoredMask = SignalIntake.IgnoredSignals();
        for (var sig = 1; sig <= 64; sig++)
        {
            if (sig is 32 or 33) continue;
            if (Signal.sigismember(&mask, sig) == 1) blocked.Add(sig);
            if (sig != 13 && (ignoredMask & (1UL << (sig - 1))) != 0) ignored.Add(sig);
        }
        return new InheritedSignals(blocked, ignored);
    }
}
