using System.Text;

namespace Corral.Core.Supervision.Events;

/// <summary>One event for supervisord's event listeners: its type name and its payload.</summary>
public sealed record ListenerEvent(string Name, string Payload);

/// <summary>
/// supervisord's event types, as listeners subscribe to them (<c>events=PROCESS_STATE,TICK_60</c>):
/// a name subscribes to itself and to every type under it (EVENT to all of them).
/// </summary>
public static class EventTypes
{
    static readonly Dictionary<string, string> Parent = new(StringComparer.Ordinal)
    {
        ["PROCESS_STATE"] = "EVENT",
        ["PROCESS_STATE_STOPPED"] = "PROCESS_STATE",
        ["PROCESS_STATE_STARTING"] = "PROCESS_STATE",
        ["PROCESS_STATE_RUNNING"] = "PROCESS_STATE",
        ["PROCESS_STATE_BACKOFF"] = "PROCESS_STATE",
        ["PROCESS_STATE_STOPPING"] = "PROCESS_STATE",
        ["PROCESS_STATE_EXITED"] = "PROCESS_STATE",
        ["PROCESS_STATE_FATAL"] = "PROCESS_STATE",
        ["PROCESS_STATE_UNKNOWN"] = "PROCESS_STATE",
        ["PROCESS_LOG"] = "EVENT",
        ["PROCESS_LOG_STDOUT"] = "PROCESS_LOG",
        ["PROCESS_LOG_STDERR"] = "PROCESS_LOG",
        ["PROCESS_COMMUNICATION"] = "EVENT",
        ["PROCESS_COMMUNICATION_STDOUT"] = "PROCESS_COMMUNICATION",
        ["PROCESS_COMMUNICATION_STDERR"] = "PROCESS_COMMUNICATION",
        ["REMOTE_COMMUNICATION"] = "EVENT",
        ["SUPERVISOR_STATE_CHANGE"] = "EVENT",
        ["SUPERVISOR_STATE_CHANGE_RUNNING"] = "SUPERVISOR_STATE_CHANGE",
        ["SUPERVISOR_STATE_CHANGE_STOPPING"] = "SUPERVISOR_STATE_CHANGE",
        ["TICK"] = "EVENT",
        ["TICK_5"] = "TICK",
        ["TICK_60"] = "TICK",
        ["TICK_3600"] = "TICK",
        ["PROCESS_GROUP"] = "EVENT",
        ["PROCESS_GROUP_ADDED"] = "PROCESS_GROUP",
        ["PROCESS_GROUP_REMOVED"] = "PROCESS_GROUP",
    };

    public static bool IsKnown(string name) => name == "EVENT" || Parent.ContainsKey(name);

    /// <summary>Whether a listener subscribed to <paramref name="subscribed"/> gets an event of type <paramref name="name"/>.</summary>
    public static bool Matches(string subscribed, string name)
    {
        for (var type = name; ; type = Parent[type])
        {
            if (type == subscribed) return true;
            if (type == "EVENT" || !Parent.ContainsKey(type)) return false;
        }
    }

    /// <summary>The ticks a listener needs: the periods (5, 60, 3600 s) of the TICK types it subscribes to.</summary>
    public static IEnumerable<int> TickPeriods(IEnumerable<string> subscribed) =>
        new[] { 5, 60, 3600 }.Where(p => subscribed.Any(s => Matches(s, $"TICK_{p}")));
}

/// <summary>The payloads supervisord writes, field for field.</summary>
public static class EventPayloads
{
    /// <summary>
    /// PROCESS_STATE_*: <c>processname:cat groupname:cat from_state:STARTING pid:2766</c>, with
    /// tries (STARTING, BACKOFF), pid (RUNNING, STOPPING, STOPPED) or expected and pid (EXITED).
    /// </summary>
    public static ListenerEvent ProcessState(string state, string process, string group, string fromState, int pid, int tries, bool expected)
    {
        var text = new StringBuilder($"processname:{process} groupname:{group} from_state:{fromState}");
        switch (state)
        {
            case "STARTING" or "BACKOFF": text.Append($" tries:{tries}"); break;
            case "RUNNING" or "STOPPING" or "STOPPED": text.Append($" pid:{pid}"); break;
            case "EXITED": text.Append($" expected:{(expected ? 1 : 0)} pid:{pid}"); break;
        }
        return new ListenerEvent($"PROCESS_STATE_{state}", text.ToString());
    }

    /// <summary>TICK_5, TICK_60, TICK_3600: <c>when:1201063880</c>, the epoch second the period began.</summary>
    public static ListenerEvent Tick(int period, long epochSeconds) => new($"TICK_{period}", $"when:{epochSeconds - epochSeconds % period}");

    /// <summary>PROCESS_LOG_STDOUT / _STDERR: a header line, then the data as written.</summary>
    public static ListenerEvent ProcessLog(bool stderr, string process, string group, int pid, string data) =>
        new(stderr ? "PROCESS_LOG_STDERR" : "PROCESS_LOG_STDOUT", $"processname:{process} groupname:{group} pid:{pid}\n{data}");

    public static ListenerEvent SupervisorState(bool running) =>
        new(running ? "SUPERVISOR_STATE_CHANGE_RUNNING" : "SUPERVISOR_STATE_CHANGE_STOPPING", "");

    public static ListenerEvent GroupChange(bool added, string group) =>
        new(added ? "PROCESS_GROUP_ADDED" : "PROCESS_GROUP_REMOVED", $"groupname:{group}");
}
