using System.Globalization;
using System.Text;

namespace Corral.Core.Supervision.Events;

/// <summary>
/// Overview: one event listener process, as supervisord speaks to it. It starts ACKNOWLEDGED
/// and writes <c>READY\n</c> on its stdout (READY); it is sent one event (BUSY), a header line
/// <c>ver:3.0 server:supervisor serial:N pool:NAME poolserial:N eventname:TYPE len:N</c> and the
/// payload; it answers <c>RESULT 2\nOK</c> (ACKNOWLEDGED) or anything else, such as
/// <c>RESULT 4\nFAIL</c>: the event is rejected and its pool sends it again. Anything out of
/// turn is a protocol violation: the process is UNKNOWN and gets no more events until it is
/// started again (an event it had is rejected). As supervisord's dispatcher does, byte for byte.
/// Pure: bytes in, bytes and words out.
/// </summary>
public sealed class ListenerProtocol(string process)
{
    static readonly byte[] ReadyToken = "READY\n"u8.ToArray();
    readonly List<byte> input = [];
    int? resultLength;

    public ListenerState State { get; private set; } = ListenerState.Acknowledged;

    /// <summary>The event it was sent and has not answered yet.</summary>
    public PooledEvent? InFlight { get; private set; }

    /// <summary>The bytes that send this event (the listener is READY): it is BUSY with it now.</summary>
    public byte[] Send(PooledEvent e, string pool, string identifier = "supervisor")
    {
        var payload = Encoding.UTF8.GetBytes(e.Event.Payload);
        var header = $"ver:3.0 server:{identifier} serial:{e.Serial} pool:{pool} poolserial:{e.PoolSerial} eventname:{e.Event.Name} len:{payload.Length}\n";
        State = ListenerState.Busy;
        InFlight = e;
        return [.. Encoding.UTF8.GetBytes(header), .. payload];
    }

    /// <summary>What it wrote on its stdout: the words worth logging, and the events it rejected (to be sent again).</summary>
    public (List<string> Said, List<PooledEvent> Rejected) OnOutput(ReadOnlySpan<byte> data)
    {
        input.AddRange(data.ToArray());
        var said = new List<string>();
        var rejected = new List<PooledEvent>();
        while (input.Count > 0 && Step(said, rejected)) { }
        return (said, rejected);
    }

    /// <summary>The process is gone: the event it had, if any, is to be sent again.</summary>
    public PooledEvent? Ended()
    {
        var lost = InFlight;
        InFlight = null;
        return lost;
    }

    bool Step(List<string> said, List<PooledEvent> rejected)
    {
        switch (State)
        {
            case ListenerState.Acknowledged:
                if (input.Count < ReadyToken.Length) return false;
                if (!input.Take(ReadyToken.Length).SequenceEqual(ReadyToken))
                {
                    Unknown(said, rejected);
                    return false;
                }
                input.RemoveRange(0, ReadyToken.Length);
                State = ListenerState.Ready;
                return true;
            case ListenerState.Ready:
                // Spurious data: supervisord is strict about it.
                Unknown(said, rejected);
                return false;
            case ListenerState.Busy:
                if (resultLength is null)
                {
                    var newline = input.IndexOf((byte)'\n');
                    if (newline < 0) return false;
                    var line = Encoding.UTF8.GetString([.. input.Take(newline)]);
                    input.RemoveRange(0, newline + 1);
                    if (line.Length < 7 || !int.TryParse(line.AsSpan(7), NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var length) || length < 0)
                    {
                        said.Add($"{process}: bad result line: '{line}'");
                        Unknown(said, rejected);
                        return false;
                    }
                    resultLength = length;
                }
                if (input.Count < resultLength) return false;
                var result = input.Take(resultLength.Value).ToArray();
                input.RemoveRange(0, resultLength.Value);
                resultLength = null;
                if (!result.AsSpan().SequenceEqual("OK"u8))
                {
                    said.Add($"{process}: event was rejected");
                    if (InFlight is { } e) rejected.Add(e);
                }
                InFlight = null;
                State = ListenerState.Acknowledged;
                return true;
            default:
                input.Clear();
                return false;
        }
    }

    void Unknown(List<string> said, List<PooledEvent> rejected)
    {
        State = ListenerState.Unknown;
        input.Clear();
        resultLength = null;
        said.Add($"{process}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol");
        if (InFlight is { } e) rejected.Add(e);
        InFlight = null;
    }
}
