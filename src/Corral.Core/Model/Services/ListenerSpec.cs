using System.Collections.Immutable;

namespace Corral.Core.Model.Services;

/// <summary>
/// supervisord's event listener ([eventlistener:x]): the process's stdin and stdout are the
/// listener protocol's pipe, not a log. Pool: the section's name (every process of it shares
/// one event buffer); Events: the event types it subscribes to (EVENT, PROCESS_STATE,
/// TICK_60 …); BufferSize: events kept while every process of the pool is busy.
/// </summary>
public sealed record ListenerSpec(string Pool, ImmutableArray<string> Events, int BufferSize = 10)
{
    public bool Equals(ListenerSpec? other) =>
        other is not null && Pool == other.Pool && BufferSize == other.BufferSize && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(Pool, BufferSize, Events.Length);
}
