namespace Corral.Core.Supervision.Events;

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

    /// <summary>The tick periods, in seconds, of TICK_5, TICK_60 and TICK_3600.</summary>
    public static readonly int[] TickPeriods = [5, 60, 3600];

    /// <summary>Every type name, the umbrella ones (PROCESS_STATE, TICK) included.</summary>
    public static IEnumerable<string> All => Parent.Keys.Prepend("EVENT");

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

    /// <summary>Whether any of the subscriptions gets events of type <paramref name="name"/>.</summary>
    public static bool AnyMatches(IEnumerable<string> subscribed, string name) => subscribed.Any(s => Matches(s, name));

    /// <summary>The ticks listeners need: the periods (5, 60, 3600 s) of the TICK types they subscribe to.</summary>
    public static IEnumerable<int> TicksFor(IEnumerable<string> subscribed) =>
        TickPeriods.Where(p => AnyMatches(subscribed, $"TICK_{p}"));
}
