namespace Corral.Core.Supervision.Events;

/// <summary>An event as one pool holds it: Corral-wide serial, the pool's own serial, the event.</summary>
public sealed record PooledEvent(int Serial, int PoolSerial, ListenerEvent Event);
