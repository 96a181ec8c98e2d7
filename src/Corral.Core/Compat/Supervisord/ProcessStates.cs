using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;

namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// supervisord's process states (supervisor/states.py) from Corral's one status model. The
/// mapping (docs/supervisorctl.md, "States"):
/// waiting, skipped → STOPPED; starting, or running but not yet ready (startsecs) → STARTING;
/// running and ready → RUNNING; backoff → BACKOFF; stopping → STOPPING; exited or succeeded →
/// EXITED, but STOPPED when a person (held) or Corral (down) stopped it; failed → FATAL when it
/// gave up: after restarts, without ever having a process, or when exec failed (126/127, as a
/// shell reports it); otherwise (one run that failed, not to be restarted) EXITED.
/// </summary>
public static class ProcessStates
{
    public const int Stopped = 0, Starting = 10, Running = 20, Backoff = 30, Stopping = 40, Exited = 100, Fatal = 200, Unknown = 1000;

    public static int Of(ServiceStatus s) => s.State switch
    {
        ServiceState.Waiting or ServiceState.Skipped => Stopped,
        ServiceState.Starting => Starting,
        ServiceState.Running => s.Ready ? Running : Starting,
        ServiceState.Backoff => Backoff,
        ServiceState.Stopping or ServiceState.Finishing => Stopping,
        ServiceState.Exited or ServiceState.Succeeded => s.Goal is GoalKind.Held or GoalKind.Down ? Stopped : Exited,
        ServiceState.Failed => GaveUp(s) ? Fatal : Exited,
        _ => Unknown,
    };

    static bool GaveUp(ServiceStatus s) => s.Restarts > 0 || s.LastExit is null || s.LastExit.Code is 126 or 127;

    public static string Name(int code) => code switch
    {
        Stopped => "STOPPED",
        Starting => "STARTING",
        Running => "RUNNING",
        Backoff => "BACKOFF",
        Stopping => "STOPPING",
        Exited => "EXITED",
        Fatal => "FATAL",
        _ => "UNKNOWN",
    };

    /// <summary>supervisord's RUNNING_STATES: a start is refused (ALREADY_STARTED), a stop accepted.</summary>
    public static bool IsRunning(int code) => code is Starting or Running or Backoff;

    /// <summary>supervisord's STOPPED_STATES: supervisorctl status exits 3 when one is listed.</summary>
    public static bool IsStopped(int code) => code is Stopped or Exited or Fatal or Unknown;
}
