using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Events;

/// <summary>
/// Overview: every event listener pool of a plan, and the events on their way to them. An event
/// nobody subscribes to costs nothing and gets no serial; one that some pool wants gets the
/// next Corral-wide serial (from 0, as supervisord counts) and waits in each subscribing pool.
/// Pure: the runtime owns it on the event loop, writes what <see cref="Dispatch"/> returns, and
/// feeds back what listeners write.
/// </summary>
public sealed class EventBus
{
    readonly Dictionary<string, ListenerPool> pools = new(StringComparer.Ordinal);
    readonly Dictionary<string, ListenerPool> byProcess = new(StringComparer.Ordinal);
    int serial = -1;

    public IEnumerable<ListenerPool> Pools => pools.Values;

    public bool IsEmpty => pools.Count == 0;

    /// <summary>
    /// The pools of these services (the ones with a listener spec). A pool kept by name keeps
    /// its buffer and its processes; a pool no longer configured is dropped.
    /// </summary>
    public void Configure(IEnumerable<ServiceSpec> services)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        byProcess.Clear();
        foreach (var s in services)
        {
            if (s.Listener is not { } spec) continue;
            if (!pools.TryGetValue(spec.Pool, out var pool)) pools[spec.Pool] = pool = new ListenerPool(spec);
            else pool.Spec = spec;
            seen.Add(spec.Pool);
            byProcess[s.Name] = pool;
        }
        foreach (var gone in pools.Keys.Where(k => !seen.Contains(k)).ToList()) pools.Remove(gone);
    }

    /// <summary>Whether some pool subscribes to events of this type.</summary>
    public bool Wants(string eventName) => pools.Values.Any(p => p.Wants(eventName));

    /// <summary>The tick periods some pool subscribes to.</summary>
    public IEnumerable<int> Ticks => EventTypes.TickPeriods.Where(p => Wants($"TICK_{p}"));

    /// <summary>The pool a listener process belongs to, or null for any other service.</summary>
    public ListenerPool? PoolOf(string process) => byProcess.GetValueOrDefault(process);

    /// <summary>Offers an event to every pool that subscribes to it; the words for any overflow.</summary>
    public List<string> Publish(ListenerEvent e)
    {
        var said = new List<string>();
        int? assigned = null;
        foreach (var pool in pools.Values)
        {
            if (!pool.Wants(e.Name)) continue;
            assigned ??= serial = serial == int.MaxValue ? 0 : serial + 1;
            if (pool.Accept(assigned.Value, e) is { } overflow) said.Add(overflow);
        }
        return said;
    }

    /// <summary>What can be sent now, pool by pool.</summary>
    public List<(string Process, byte[] Bytes)> Dispatch(Func<string, bool> running) =>
        [.. pools.Values.SelectMany(p => p.Dispatch(running))];
}
