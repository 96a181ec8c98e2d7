using System.Text;

namespace Corral.Core.Supervision.Events;

/// <summary>Where a listener process stands in supervisord's protocol.</summary>
public enum ListenerState { Acknowledged, Ready, Busy, Unknown }

/// <summary>
/// Overview: one event listener process, as supervisord speaks to it. The listener writes
/// <c>READY\n</c> on its stdout; Corral sends one event (a header line
/// <c>ver:3.0 server:supervisor serial:N pool:NAME poolserial:N eventname:TYPE len:N</c> and the
/// payload) on its stdin; the listener answers <c>RESULT 2\nOK</c> (or <c>RESULT 4\nFAIL</c>: the
/// event is sent again), then READY again. Events wait in a bounded buffer (buffer_size) while
/// the listener is busy; when it is full the oldest is dropped, counted and said. Anything else
/// on its stdout is a protocol error: the listener is Unknown until it starts again. Pure: bytes
/// in, bytes and words out.
/// </summary>
public sealed class ListenerChannel(string pool, int bufferSize, string identifier = "supervisor")
{
    readonly Queue<(int Serial, ListenerEvent Event)> buffer = new();
    readonly List<byte> input = [];
    (int Serial, ListenerEvent Event)? inFlight;
    int poolSerial;

    public ListenerState State { get; private set; } = ListenerState.Acknowledged;
    public int Dropped { get; private set; }

    /// <summary>An event for this pool (serial: Corral-wide); null, or the words of an overflow, when it had to drop one.</summary>
    public string? Offer(int serial, ListenerEvent e)
    {
        string? said = null;
        if (buffer.Count >= bufferSize)
        {
            var lost = buffer.Dequeue();
            Dropped++;
            said = $"event buffer overflowed (buffer_size {bufferSize}): dropped {lost.Event.Name} serial {lost.Serial}";
        }
        buffer.Enqueue((serial, e));
        return said;
    }

    /// <summary>The bytes to write to the listener's stdin now, if it is ready and an event waits.</summary>
    public byte[]? Next()
    {
        if (State != ListenerState.Ready || buffer.Count == 0) return null;
        var (serial, e) = buffer.Dequeue();
        inFlight = (serial, e);
        State = ListenerState.Busy;
        var payload = Encoding.UTF8.GetBytes(e.Payload);
        var header = $"ver:3.0 server:{identifier} serial:{serial} pool:{pool} poolserial:{poolSerial++} eventname:{e.Name} len:{payload.Length}\n";
        return [.. Encoding.UTF8.GetBytes(header), .. payload];
    }

    /// <summary>What the listener wrote on its stdout; the words for anything worth saying (a FAIL, a protocol error).</summary>
    public IReadOnlyList<string> OnOutput(ReadOnlySpan<byte> data)
    {
        input.AddRange(data.ToArray());
        var said = new List<string>();
        while (Step(said)) { }
        return said;
    }

    bool Step(List<string> said)
    {
        var newline = input.IndexOf((byte)'\n');
        switch (State)
        {
            case ListenerState.Acknowledged:
                if (newline < 0) return TooLong(said);
                var token = Take(newline + 1);
                if (token == "READY\n") { State = ListenerState.Ready; return true; }
                return ProtocolError(said, $"expected READY, got {Quote(token)}");
            case ListenerState.Busy:
                if (newline < 0) return TooLong(said);
                var head = Encoding.UTF8.GetString([.. input.Take(newline)]);
                if (!head.StartsWith("RESULT ", StringComparison.Ordinal) || !int.TryParse(head.AsSpan(7), out var length) || length < 0)
                    return ProtocolError(said, $"expected RESULT <length>, got {Quote(head)}");
                if (input.Count < newline + 1 + length) return false;
                Take(newline + 1);
                var result = Take(length);
                if (result == "FAIL")
                {
                    // Sent again once the listener is ready, before anything newer.
                    said.Add($"listener rejected event {inFlight!.Value.Event.Name} serial {inFlight.Value.Serial}: it will be sent again");
                    var rest = buffer.ToList();
                    buffer.Clear();
                    buffer.Enqueue(inFlight.Value);
                    foreach (var item in rest) buffer.Enqueue(item);
                }
                inFlight = null;
                State = ListenerState.Acknowledged;
                return true;
            default:
                input.Clear();
                return false;
        }
    }

    /// <summary>The listener started again (a new process): the protocol starts over; an event it had is sent again.</summary>
    public void Restarted()
    {
        if (inFlight is { } lost)
        {
            var rest = buffer.ToList();
            buffer.Clear();
            buffer.Enqueue(lost);
            foreach (var item in rest) buffer.Enqueue(item);
            inFlight = null;
        }
        input.Clear();
        State = ListenerState.Acknowledged;
    }

    bool TooLong(List<string> said) =>
        input.Count > 4096 && ProtocolError(said, "more than 4096 bytes without a newline");

    bool ProtocolError(List<string> said, string why)
    {
        said.Add($"event listener protocol error: {why}; no more events until it restarts");
        State = ListenerState.Unknown;
        input.Clear();
        return false;
    }

    string Take(int count)
    {
        var text = Encoding.UTF8.GetString([.. input.Take(count)]);
        input.RemoveRange(0, count);
        return text;
    }

    static string Quote(string s) => s.Length > 60 ? $"'{s[..60].TrimEnd('\n')}…'" : $"'{s.TrimEnd('\n')}'";
}
