namespace Corral.Core.Supervision.Events;

/// <summary>Where a listener process stands in supervisord's protocol (its EventListenerStates).</summary>
public enum ListenerState { Acknowledged, Ready, Busy, Unknown }
