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
        var ignored = IgnoredSignals();
        foreach (var sig in list)
            if ((ignored & (1UL << (sig - 1))) != 0) Signal.signal(sig, Signal.SIG_DFL);
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

    /// <summary>
    /// Receives signals that the runtime keeps for itself (SEGV, FPE) or that must keep their
    /// meaning for Corral's own code (ILL, TRAP, ABRT, BUS, SYS, PIPE), but only when another
    /// process sends them with kill(2) or sigqueue(3): corral_signals.c's handler writes each one
    /// to a pipe that a thread of ours reads. A real fault, Corral's own abort() or a write to
    /// a closed pipe keeps its usual effect. Returns the errno of a failure, or 0.
    /// </summary>
    public static unsafe int RegisterSentOnly(IReadOnlyList<int> signals, Action<int> onSignal)
    {
        int* fds = stackalloc int[2];
        // Non-blocking: a signal handler must never wait for the reader.
        if (Unistd.pipe2(fds, Unistd.O_CLOEXEC | Unistd.O_NONBLOCK) != 0) return Errno.Last;
        var read = fds[0];
        var list = signals.ToArray();
        int rc;
        fixed (int* p = list) rc = CorralSignals.corral_forward_sent_signals(fds[1], p, list.Length);
        if (rc != 0) return rc;
        new Thread(() => ReadSent(read, onSignal)) { IsBackground = true, Name = "sent-signals" }.Start();
        return 0;
    }

    static unsafe void ReadSent(int fd, Action<int> onSignal)
    {
        var pfd = new Poll.pollfd { fd = fd, events = Poll.POLLIN };
        byte* buf = stackalloc byte[64];
        while (true)
        {
            // Blocks without a timeout: no wake-ups while no signal comes.
            if (Poll.poll(&pfd, 1, -1) < 0 && Errno.Last != Errno.EINTR) return;
            nint n;
            while ((n = Unistd.read(fd, buf, 64)) > 0)
                for (var i = 0; i < n; i++) onSignal(buf[i]);
        }
    }

    /// <summary>Sets a signal's disposition to "ignore" (Corral's own SIGTTIN/SIGTTOU).</summary>
    public static void Ignore(int signal) => Signal.signal(signal, Signal.SIG_IGN);

    /// <summary>Sends a signal to Corral itself, e.g. SIGSTOP for job control.</summary>
    public static void RaiseSelf(int signal) => Signal.raise(signal);

    /// <summary>
    /// The ignored signals as a bit mask (bit N-1 for signal N), from /proc/self/status: one
    /// file read instead of a sigaction call per signal, which start-up time notices.
    /// </summary>
    public static unsafe ulong IgnoredSignals()
    {
        // Raw read(2) into the stack: the managed file stack would cost more start-up time
        // (code pages touched) than the sigaction calls it replaces.
        var fd = Logging.Pipes.OpenRead("/proc/self/status");
        if (fd < 0) return 0;
        const int size = 4096;
        byte* buf = stackalloc byte[size];
        var length = 0;
        while (length < size)
        {
            var n = Unistd.read(fd, buf + length, size - length);
            if (n <= 0) break;
            length += (int)n;
        }
        Unistd.close(fd);
        var text = new ReadOnlySpan<byte>(buf, length);
        var at = text.IndexOf("SigIgn:"u8);
        if (at < 0) return 0;
        ulong mask = 0;
        for (var i = at + 7; i < length; i++)
        {
            var c = buf[i];
            if (c is (byte)' ' or (byte)'\t') continue;
            int digit = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : c is >= (byte)'a' and <= (byte)'f' ? c - 'a' + 10 : -1;
            if (digit < 0) break;
            mask = (mask << 4) | (uint)digit;
        }
        return mask;
    }

    /// <summary>Unregisters (not needed at exit: the process ending drops them for free).</summary>
    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        registrations.Clear();
    }
}
