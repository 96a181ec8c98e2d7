using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// A service's lifecycle. longrun: Waiting → Starting → Running → (Stopping) → Exited | Backoff
/// → Starting … | Failed. oneshot: Waiting → Starting → Running → Succeeded | Failed. A service
/// whose dependency can never be met is Skipped.
/// </summary>
public enum ServiceState { Waiting, Starting, Running, Stopping, Backoff, Exited, Succeeded, Failed, Skipped }

/// <summary>The supervisor's mutable record of one service. Only the supervisor writes it.</summary>
public sealed class ServiceRecord(ServiceSpec spec)
{
    public ServiceSpec Spec { get; internal set; } = spec;

    /// <summary>Removed from the config by a reload: goes away once stopped.</summary>
    internal bool Retiring { get; set; }

    /// <summary>Changed by a reload: once stopped, starts again with this spec.</summary>
    internal ServiceSpec? Replacement { get; set; }
    public string Name => Spec.Name;
    public ServiceState State { get; internal set; } = ServiceState.Waiting;
    /// <summary>The service's main process: the one spawned, or the one it named with MAINPID=.</summary>
    public int Pid { get; internal set; }

    /// <summary>The process group Corral signals: led by the process it spawned.</summary>
    public int Group { get; internal set; }

    /// <summary>Processes that were the main process before a MAINPID= hand-over; their exit ends nothing.</summary>
    internal HashSet<int> FormerPids { get; } = [];
    public TimeSpan StartedAt { get; internal set; }

    /// <summary>Restarts so far (each respawn after an exit counts one).</summary>
    public int Restarts { get; internal set; }

    /// <summary>Crashes in a row without a long enough run in between: drives the backoff.</summary>
    internal int Consecutive { get; set; }

    /// <summary>When the recent restarts happened, for max_restarts within the window.</summary>
    internal List<TimeSpan> RestartTimes { get; } = [];

    public ExitStatus? LastExit { get; internal set; }

    /// <summary>Why the service is Failed, Skipped or stopped, in words.</summary>
    public string? Reason { get; internal set; }

    /// <summary>The stop was Corral's decision: never restart after it.</summary>
    internal bool StopIntended { get; set; }

    /// <summary>
    /// Stopped by request (<c>corral ctl stop</c>): stays down, whatever its restart policy, until
    /// a start or restart request.
    /// </summary>
    public bool HeldDown { get; internal set; }

    /// <summary>A start or restart was asked for while it stopped: it starts again once its process has exited.</summary>
    internal bool StartAfterStop { get; set; }

    /// <summary>Running and ready: its readiness signal came, its startup probe passed, its readiness probe passes.</summary>
    public bool IsReady { get; internal set; }

    /// <summary>Its liveness probe has failed and it is being restarted for it.</summary>
    public bool LivenessFailing { get; internal set; }

    /// <summary>The last STATUS= it sent through sd_notify.</summary>
    public string? StatusText { get; internal set; }

    internal bool SignalledReady { get; set; }
    internal bool StartupPassed { get; set; }
    internal bool ReadinessPassing { get; set; }

    /// <summary>Corral is stopping it because a start failed (not ready in time, a probe, the watchdog): a failure, not a stop.</summary>
    internal bool StoppingForRestart { get; set; }

    internal int[] ProbeSuccesses { get; } = new int[3];
    internal int[] ProbeFailures { get; } = new int[3];

    public bool IsUp => State is ServiceState.Starting or ServiceState.Running or ServiceState.Stopping;

    public bool IsDone => State is ServiceState.Exited or ServiceState.Succeeded or ServiceState.Failed or ServiceState.Skipped;
}
