namespace Corral.Core.Supervision.Events;

/// <summary>
/// supervisord's ticks: TICK_N is sent when the wall clock crosses a multiple of N seconds
/// (the first one after start-up, not at start-up), with <c>when:</c> that multiple. Time comes
/// in (the epoch seconds now); out come the ticks due and how long until the next boundary,
/// so the runtime arms one timer and makes no other wake-up.
/// </summary>
public sealed class TickClock
{
    readonly Dictionary<int, long> last = [];

    public (List<ListenerEvent> Due, TimeSpan Next) At(double epochSeconds, IEnumerable<int> periods)
    {
        var due = new List<ListenerEvent>();
        var next = TimeSpan.MaxValue;
        foreach (var period in periods)
        {
            var slice = (long)Math.Floor(epochSeconds / period) * period;
            if (!last.TryGetValue(period, out var previous)) last[period] = slice;
            else if (slice != previous)
            {
                last[period] = slice;
                due.Add(EventPayloads.Tick(period, slice));
            }
            var until = TimeSpan.FromSeconds(slice + period - epochSeconds);
            if (until < next) next = until;
        }
        return (due, next);
    }
}
