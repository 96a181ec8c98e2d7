using System.Text;

namespace Corral.Os.Logging;

/// <summary>
/// Overview: the lines bound for one of Corral's own outputs (its stdout or its stderr), written
/// by a thread of their own, so that an output read slowly (or not at all) holds up neither the
/// log pump nor the other output. The pump hands over batches of whole lines and never waits.
/// Beyond <see cref="MaxBacklog"/> bytes waiting, the pump stops reading the services' pipes
/// bound here while they are open (back-pressure: a service's writes wait, as they would on a
/// slow terminal, and nothing is lost). What cannot wait in a pipe is still taken, up to
/// <see cref="MaxHeld"/>: the rest of a pipe whose service has exited (or the pump would hold
/// its descriptor for as long as the output stalls, one more at every restart) and Corral's own
/// messages. Past that, lines are dropped and counted, and the count is written where they
/// would have been, as soon as the output takes lines again. The thread starts with the first
/// write and sleeps on a monitor while there is nothing to write (no polling). When Corral's
/// stdout and stderr are one file (2&gt;&amp;1, a terminal), one queue serves both, each chunk
/// written to its own descriptor in the order it came: a service's "started" line then always
/// comes before its first line of output, as it did when Corral wrote them itself.
/// </summary>
/// <param name="fds">The descriptors written through this queue, one file.</param>
public sealed class OutputQueue(params int[] fds)
{
    /// <summary>Bytes waiting beyond which the pump stops reading open pipes bound here.</summary>
    public const long MaxBacklog = 1 << 20;

    /// <summary>Bytes waiting beyond which lines are dropped (and counted).</summary>
    public const long MaxHeld = 4 << 20;

    readonly object gate = new();
    readonly Queue<(int Fd, byte[] Data)> chunks = new();
    long queued;
    long dropped;
    bool busy;
    /// <summary>The chunk the writer is writing (under the lock): at exit, perhaps written only in part.</summary>
    byte[]? writing;
    /// <summary>Where the dropped lines were bound: the count is said there.</summary>
    int droppedFrom;
    Thread? thread;

    /// <summary>How one of Corral's warnings looks on this output (text or JSON), from its message.</summary>
    public Func<string, byte[]> Notice { get; set; } = text => Encoding.UTF8.GetBytes($"[corral] warning: {text}\n");

    /// <summary>Called (on the writer's thread) when the backlog falls back under the limit: the pump's wake-up.</summary>
    public Action? CaughtUp { get; set; }

    /// <summary>More than <see cref="MaxBacklog"/> bytes wait: open pipes bound here are left unread.</summary>
    public bool Backlogged => Volatile.Read(ref queued) > MaxBacklog;

    /// <summary>Hands over whole lines (each ending in '\n') for one of <c>fds</c>; false when they were dropped.</summary>
    public bool Write(int fd, ReadOnlySpan<byte> lines)
    {
        if (lines.IsEmpty) return true;
        lock (gate)
        {
            if (queued + lines.Length > MaxHeld)
            {
                var n = Math.Max(1, lines.Count((byte)'\n'));
                dropped += n;
                droppedFrom = fd;
                Monitor.PulseAll(gate);
                return false;
            }
            // The drop is said where the lines went missing, before the first lines after it.
            if (dropped > 0) Enqueue(droppedFrom, Gap());
            Enqueue(fd, lines.ToArray());
            if (thread is null)
            {
                thread = new Thread(Run, 128 * 1024) { IsBackground = true, Name = $"output-{string.Join('+', fds)}" };
                thread.Start();
            }
            // All: Drain may be waiting on the same monitor, and must not take the writer's wake-up.
            Monitor.PulseAll(gate);
        }
        return true;
    }

    void Enqueue(int fd, byte[] data)
    {
        chunks.Enqueue((fd, data));
        queued += data.Length;
    }

    /// <summary>The line that says how many lines were dropped since the last one got through (under the lock).</summary>
    byte[] Gap()
    {
        var text = $"{Lines(dropped)} dropped here: Corral's {Name} {(fds.Length > 1 ? "were" : "was")} not read fast enough ({MaxHeld >> 20} MiB waiting)";
        dropped = 0;
        return Notice(text);
    }

    /// <summary>What the queue writes to, in words: "stdout", "stderr", or "stdout and stderr".</summary>
    public string Name => string.Join(" and ", fds.Select(fd => fd == 1 ? "stdout" : fd == 2 ? "stderr" : $"fd {fd}"));

    static string Lines(long n) => $"{n} line{(n == 1 ? "" : "s")}";

    /// <summary>
    /// What a drain that timed out leaves unwritten, in words for Corral's other output (null
    /// when nothing is): lines waiting, lines dropped since the last that got through, and the
    /// lines of the write under way (some of which may be out, the last perhaps cut off).
    /// </summary>
    public string? Unwritten()
    {
        lock (gate)
        {
            var lines = dropped + (writing?.AsSpan().Count((byte)'\n') ?? 0);
            foreach (var chunk in chunks) lines += chunk.Data.AsSpan().Count((byte)'\n');
            return lines == 0 ? null : $"{Lines(lines)} for Corral's {Name} were not written, or only in part: it was not being read when Corral exited";
        }
    }

    void Run()
    {
        while (true)
        {
            (int Fd, byte[] Data) next;
            lock (gate)
            {
                busy = false;
                while (chunks.Count == 0)
                {
                    // The output moves again and nothing came after the drop: say it now.
                    if (dropped > 0) { Enqueue(droppedFrom, Gap()); break; }
                    Monitor.PulseAll(gate); // Drain waits for this
                    Monitor.Wait(gate);
                }
                next = chunks.Dequeue();
                busy = true;
                writing = next.Data;
            }
            Output.Write(next.Fd, next.Data);
            bool caughtUp;
            lock (gate)
            {
                writing = null;
                caughtUp = queued > MaxBacklog && queued - next.Data.Length <= MaxBacklog;
                queued -= next.Data.Length;
            }
            if (caughtUp) CaughtUp?.Invoke();
        }
    }

    /// <summary>Waits until everything handed over is written, at most <paramref name="timeout"/>.</summary>
    public bool Drain(TimeSpan timeout)
    {
        var deadline = MonotonicClock.System.Now + timeout;
        lock (gate)
        {
            while (chunks.Count > 0 || busy || (dropped > 0 && thread is not null))
            {
                var left = deadline - MonotonicClock.System.Now;
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(gate, left);
            }
        }
        return true;
    }
}
