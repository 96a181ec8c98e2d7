namespace Corral.Runtime;

/// <summary>
/// The event loop's inbox. Producers (the reaper thread, the runtime's signal thread) post;
/// the loop takes, blocking until an event arrives or its next deadline passes. The lock
/// guards only the queue itself, never supervisor state, which the loop thread alone touches.
/// A blocking monitor rather than a Channel: it needs no thread pool, so an idle Corral
/// keeps three threads and makes no wake-ups.
/// </summary>
public sealed class EventQueue<T>
{
    static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(int.MaxValue);

    readonly Queue<T> items = new();
    readonly object gate = new();

    public void Post(T item)
    {
        lock (gate)
        {
            items.Enqueue(item);
            Monitor.Pulse(gate);
        }
    }

    /// <summary>Takes the next event; false when <paramref name="timeout"/> passed first.</summary>
    public bool TryTake(out T item, TimeSpan? timeout)
    {
        lock (gate)
        {
            while (items.Count == 0)
            {
                if (timeout is not { } t)
                    Monitor.Wait(gate);
                // Monitor.Wait takes at most int.MaxValue ms (24.8 days); a later deadline just
                // means waking once early and waiting again.
                else if (t <= TimeSpan.Zero || !Monitor.Wait(gate, t > MaxWait ? MaxWait : t))
                {
                    if (items.Count > 0) break;
                    item = default!;
                    return false;
                }
            }
            item = items.Dequeue();
            return true;
        }
    }
}
