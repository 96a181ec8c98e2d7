namespace Corral.Core.Supervision.Events;

/// <summary>One event for supervisord's event listeners: its type name and its payload.</summary>
public sealed record ListenerEvent(string Name, string Payload);
