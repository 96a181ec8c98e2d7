using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>What is wanted of a service, whatever state it is in now.</summary>
public enum GoalKind
{
    /// <summary>Keep it running, restarting it as its restart policy says.</summary>
    Up,

    /// <summary>Corral stopped it (a failed dependency, the last SIGKILL): it stays down, and dependents may give up on it.</summary>
    Down,

    /// <summary>A person stopped it: it stays down until a start or restart request, and dependents wait for it.</summary>
    Held,

    /// <summary>A person asked for a restart: once its process is gone it starts afresh.</summary>
    Restart,

    /// <summary>A reload removed it: once its process is gone it is forgotten.</summary>
    Remove,

    /// <summary>A reload changed it: once its process is gone it comes back with <see cref="Goal.Next"/>.</summary>
    Replace,
}

/// <summary>
/// A service's goal: one value instead of a set of intent flags, so that a request, a reload
/// and a failure cannot leave contradictory marks. Next: the new settings of a Replace;
/// ThenHeld: the replacement stays stopped by request.
/// </summary>
public sealed record Goal(GoalKind Kind, ServiceSpec? Next = null, bool ThenHeld = false)
{
    public static readonly Goal Up = new(GoalKind.Up);
    public static readonly Goal Down = new(GoalKind.Down);
    public static readonly Goal Held = new(GoalKind.Held);
    public static readonly Goal Restart = new(GoalKind.Restart);
    public static readonly Goal Remove = new(GoalKind.Remove);

    public static Goal Replace(ServiceSpec next, bool thenHeld = false) => new(GoalKind.Replace, next, thenHeld);

    /// <summary>Stopped by a person: it stays down (or its replacement does) until a person starts it.</summary>
    public bool IsHeld => Kind == GoalKind.Held || Kind == GoalKind.Replace && ThenHeld;

    /// <summary>Once stopped it runs again: a restart, or a reload's new settings not held down.</summary>
    public bool ComesBack => Kind == GoalKind.Restart || Kind == GoalKind.Replace && !ThenHeld;
}
