using System.Runtime.InteropServices;
using Corral.Os.Native;

namespace Corral.Os.Signals;

/// <summary>
/// Overview: turns signals into calls of one callback, through the runtime's
/// PosixSignalRegistration (its handler writes to a pipe; a runtime thread calls us). Every
/// registration cancels the runtime's default action, so Corral alone decides what a signal
/// means. SIGCHLD is never registered: child exits come from the reaper.
/// The runtime installs no handler for a signal that was ignored when its signal handling
/// started (shell background jobs start with INT and QUIT ignored; nohup ignores HUP), so
/// those are reset to the default before the first registration. At PID 1 the kernel drops any signal without a handler, which
/// is why every signal Corral honours must be registered.
/// </summary>
public sealed class SignalIntake : IDisposable
{
    readonly List<PosixSignalRegistration> registrations = [];

    /// <summary>Registers each signal; returns those the runtime refused.</summary>
    public IReadOnlyList<int> Register(IEnumerable<int> signals, Action<int> onSignal)
    {
        var refused = new List<int>();
        var list = signals.ToList();
        // All resets come before the first registration: that one initialises the runtime's
        // signal handling, which looks at INT and QUIT once and skips them for good if ignored.
        foreach (var sig in list) ResetIfIgnored(sig);
        foreach (var sig in list)
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create((PosixSignal)sig, context =>
                {
                    context.Cancel = true;
                    onSignal(sig);
                }));
            }
            catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException or IOException)
            {
                refused.Add(sig);
            }
        }
        return refused;
    }

    /// <summary>Sets a signal's disposition to "ignore" (Corral's own SIGTTIN/SIGTTOU).</summary>
    public static void Ignore(int signal) => Signal.signal(signal, Signal.SIG_IGN);

    /// <summary>Sends a signal to Corral itself, e.g. SIGSTOP for job control.</summary>
    public static void RaiseSelf(int signal) => Signal.raise(signal);

    static unsafe void ResetIfIgnored(int sig)
    {
        Signal.sigaction_t current;
        if (Signal.sigaction(sig, null, &current) == 0 && current.sa_handler == Signal.SIG_IGN)
            Signal.signal(sig, Signal.SIG_DFL);
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        registrations.Clear();
    }
}
