namespace Corral.Runtime;

/// <summary>
/// Named deadlines on the monotonic clock. Arming a key again moves its deadline. The loop
/// sleeps until the earliest one; nothing ticks in between.
/// </summary>
public sealed class TimerQueue<TKey> where TKey : notnull
{
    readonly SortedSet<(TimeSpan Deadline, long Seq, TKey Key)> order = new(Comparer<(TimeSpan Deadline, long Seq, TKey Key)>.Create(
        (a, b) => a.Deadline != b.Deadline ? a.Deadline.CompareTo(b.Deadline) : a.Seq.CompareTo(b.Seq)));
    readonly Dictionary<TKey, (TimeSpan Deadline, long Seq, TKey Key)> byKey = [];
    long seq;

    public void Arm(TKey key, TimeSpan deadline)
    {
        Cancel(key);
        var entry = (deadline, seq++, key);
        order.Add(entry);
        byKey[key] = entry;
    }

    public void Cancel(TKey key)
    {
        if (byKey.Remove(key, out var entry)) order.Remove(entry);
    }

    /// <summary>The earliest deadline, or null when nothing is armed.</summary>
    public TimeSpan? Next => order.Count == 0 ? null : order.Min.Deadline;

    /// <summary>Removes and returns every key whose deadline is at or before now, earliest first.</summary>
    public List<TKey> TakeDue(TimeSpan now)
    {
        var due = new List<TKey>();
        while (order.Count > 0 && order.Min.Deadline <= now)
        {
            var entry = order.Min;
            order.Remove(entry);
            byKey.Remove(entry.Key);
            due.Add(entry.Key);
        }
        return due;
    }
}
