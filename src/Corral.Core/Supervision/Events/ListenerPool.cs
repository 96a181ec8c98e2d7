using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Events;

/// <summary>
/// Overview: one [eventlistener:x] section, as supervisord's EventListenerPool: the events it
/// subscribes to wait in one buffer (buffer_size; when full, the oldest is dropped and said)
/// and go, oldest first, to whichever of its processes is running and READY. A rejected event
/// (a FAIL, a listener that died or broke the protocol with it) goes back to the head of the
/// buffer, keeping its serials. Pure: the runtime writes the bytes and feeds back the output.
/// </summary>
public sealed class ListenerPool(ListenerSpec spec)
{
    readonly List<PooledEvent> buffer = [];
    readonly Dictionary<string, ListenerProtocol> processes = new(StringComparer.Ordinal);
    int serial = -1;

    public ListenerSpec Spec { get; set; } = spec;
    public string Name => Spec.Pool;
    public int Buffered => buffer.Count;

    /// <summary>The events dropped because the buffer was full.</summary>
    public int Dropped { get; private set; }

    public bool Wants(string eventName) => EventTypes.AnyMatches(Spec.Events, eventName);

    /// <summary>A new event for the pool (serial: Corral-wide); the words for an overflow, or null.</summary>
    public string? Accept(int globalSerial, ListenerEvent e)
    {
        serial = serial == int.MaxValue ? 0 : serial + 1;
        return Buffer(new PooledEvent(globalSerial, serial, e), head: false);
    }

    string? Buffer(PooledEvent e, bool head)
    {
        string? said = null;
        if (buffer.Count >= Math.Max(1, Spec.BufferSize))
        {
            var discarded = buffer[0];
            buffer.RemoveAt(0);
            Dropped++;
            said = $"pool {Name} event buffer overflowed, discarding event {discarded.Serial}";
        }
        if (head) buffer.Insert(0, e);
        else buffer.Add(e);
        return said;
    }

    /// <summary>A process of the pool started: it speaks the protocol from the start (ACKNOWLEDGED, waiting for READY).</summary>
    public void Started(string process) => processes[process] = new ListenerProtocol(process);

    /// <summary>A process of the pool is gone: the event it had goes back to the head of the buffer.</summary>
    public string? Ended(string process)
    {
        if (!processes.Remove(process, out var protocol)) return null;
        return protocol.Ended() is { } lost ? Buffer(lost, head: true) : null;
    }

    public ListenerState? StateOf(string process) => processes.TryGetValue(process, out var p) ? p.State : null;

    /// <summary>What a process wrote on its stdout; the words worth logging.</summary>
    public List<string> OnOutput(string process, ReadOnlySpan<byte> data)
    {
        if (!processes.TryGetValue(process, out var protocol)) return [];
        var (said, rejected) = protocol.OnOutput(data);
        foreach (var e in rejected)
            if (Buffer(e, head: true) is { } overflow) said.Add(overflow);
        return said;
    }

    /// <summary>
    /// The events that can go now, each to a READY process that is running (supervisord sends
    /// only to RUNNING ones), oldest first: (process, bytes to write to its stdin).
    /// </summary>
    public List<(string Process, byte[] Bytes)> Dispatch(Func<string, bool> running, string identifier = "supervisor")
    {
        var sends = new List<(string, byte[])>();
        while (buffer.Count > 0)
        {
            var ready = processes.FirstOrDefault(p => p.Value.State == ListenerState.Ready && running(p.Key));
            if (ready.Value is null) break;
            var e = buffer[0];
            buffer.RemoveAt(0);
            sends.Add((ready.Key, ready.Value.Send(e, Name, identifier)));
        }
        return sends;
    }

    /// <summary>A write to the process failed (its stdin is closed): the event goes back, the process gets no more until it starts again.</summary>
    public void WriteFailed(string process)
    {
        if (!processes.Remove(process, out var protocol)) return;
        if (protocol.Ended() is { } lost) Buffer(lost, head: true);
    }
}
