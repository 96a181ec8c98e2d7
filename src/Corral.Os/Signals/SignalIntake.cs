using System.Runtime.InteropServices;
using Corral.Os.Native;

namespace Corral.Os.Signals;

/// <summary>
/// Overview: turns signals into calls of one callback. corral_signals.c's handler writes each
/// signal's number to a pipe; one thread of ours, blocked in poll(2) (no wake-ups while no
/// signal comes), reads it and calls the callback, which posts an event to the loop. This is
/// one thread hop fewer than the runtime's PosixSignalRegistration, which also starts a new
/// thread for TERM, INT and QUIT (bench/signals.sh: forwarding went from about 1 ms to a
/// fraction of that). A handler installed with sigaction(2) works whatever the disposition was
/// (a shell's background job starts with INT and QUIT ignored, nohup ignores HUP). At PID 1 the
/// kernel drops any signal without a handler, which is why every signal Corral honours has
/// one. SIGCHLD never does: child exits come from the reaper.
/// </summary>
public sealed unsafe class SignalIntake(Action<int> onSignal) : IDisposable
{
    int writeEnd = -1;
    bool pollFailed;

    /// <summary>Catches each signal, to call onSignal on the intake's thread; returns those that could not be caught.</summary>
    public IReadOnlyList<int> Register(IEnumerable<int> signals) =>
        [.. signals.Where(sig => Install([sig], onlySent: false) != 0)];

    /// <summary>
    /// Receives signals that the runtime keeps for itself (SEGV, FPE) or that must keep their
    /// meaning for Corral's own code (ILL, TRAP, ABRT, BUS, SYS, PIPE), but only when another
    /// process sends them with kill(2) or sigqueue(3). A real fault, Corral's own abort() or a
    /// write to a closed pipe keeps its usual effect. Returns the errno of a failure, or 0.
    /// </summary>
    public int RegisterSentOnly(IReadOnlyList<int> signals) => Install(signals, onlySent: true);

    int Install(IReadOnlyList<int> signals, bool onlySent)
    {
        if (writeEnd < 0)
        {
            // Non-blocking: a signal handler must never wait for the reader.
            var (read, write, errno) = Files.Pipes.Create(nonBlocking: true);
            if (errno != 0) return errno;
            writeEnd = write;
            new Thread(() => ReadSignals(read), 64 * 1024) { IsBackground = true, Name = "signals" }.Start();
        }
        var list = signals.ToArray();
        fixed (int* p = list) return CorralSignals.corral_forward_signals(writeEnd, p, list.Length, onlySent ? 1 : 0);
    }

    void ReadSignals(int fd)
    {
        var pfd = new Poll.pollfd { fd = fd, events = Poll.POLLIN };
        byte* buf = stackalloc byte[64];
        while (true)
        {
            // Blocks without a timeout: no wake-ups while no signal comes.
            // This thread is how TERM reaches Corral: it never gives up (a failing poll is said once).
            if (Poll.poll(&pfd, 1, -1) < 0 && Errno.Last is var errno && errno != Errno.EINTR && !pollFailed)
            {
                pollFailed = true;
                Logging.StdIo.Err($"[corral] error: waiting for signals: {Errno.Describe(errno)}\n");
            }
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
        var fd = Files.Descriptors.OpenRead("/proc/self/status");
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
        Files.Descriptors.Close(fd);
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

    /// <summary>Nothing to undo: the handlers and the thread live as long as Corral.</summary>
    public void Dispose() { }

}
