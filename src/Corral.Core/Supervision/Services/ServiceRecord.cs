using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// A service's lifecycle state; the moves between them are <see cref="ServiceMachine"/>'s table.
/// longrun: Waiting → Starting → Running → (Stopping) → Exited | Backoff → Starting … | Failed.
/// oneshot: Waiting → Starting → Running → Succeeded | Failed. A service whose dependency can
/// never be met is Skipped. Finishing: its finish script runs after its process exited (or a
/// oneshot's down command runs at shutdown); what the exit meant is carried out once it ends.
/// </summary>
public enum ServiceState { Waiting, Starting, Running, Stopping, Backoff, Exited, Succeeded, Failed, Skipped, Finishing }

/// <summary>
/// The supervisor's record of one service: its state (moved only by <see cref="ServiceMachine"/>),
/// its goal (set only by the orchestration), its process, its readiness and its crash history.
/// Only the supervisor writes it.
/// </summary>
public sealed class ServiceRecord(ServiceSpec spec)
{
    public ServiceSpec Spec { get; internal set; } = spec;

    /// <summary>A service at boot: waiting for its dependencies, or, with autostart off, held down until a person starts it.</summary>
    internal static ServiceRecord AtBoot(ServiceSpec spec) => new(spec) { Goal = spec.AutoStart ? Goal.Up : Goal.Held };

    /// <summary>A service stopped by request that gets new settings: it starts life down, and stays so until a person starts it.</summary>
    internal static ServiceRecord StoppedByRequest(ServiceSpec spec, string? reason) =>
        new(spec) { State = ServiceState.Exited, Goal = Goal.Held, Reason = reason };

    public string Name => Spec.Name;
    public ServiceState State { get; internal set; } = ServiceState.Waiting;
    public Goal Goal { get; internal set; } = Goal.Up;

    /// <summary>The service's main process: the one spawned, or the one it named with MAINPID=.</summary>
    public int Pid { get; internal set; }

    /// <summary>The process group Corral signals: led by the process it spawned.</summary>
    public int Group { get; internal set; }

    /// <summary>Processes that were the main process before a MAINPID= hand-over; their exit ends nothing.</summary>
    internal HashSet<int> FormerPids { get; } = [];

    /// <summary>The main process named with MAINPID= runs outside the service's process group: signals go to both.</summary>
    internal bool MainOutsideGroup { get; set; }

    public TimeSpan StartedAt { get; internal set; }

    /// <summary>Automatic restarts so far (each respawn after a crash counts one; requests do not).</summary>
    public int Restarts { get; internal set; }

    internal CrashHistory Crashes { get; } = new();
    public ExitStatus? LastExit { get; internal set; }

    /// <summary>Why the service is Failed, Skipped or stopped, in words.</summary>
    public string? Reason { get; internal set; }

    internal Readiness Readiness { get; } = new();

    /// <summary>Stopped by a person: stays down until a start or restart request.</summary>
    public bool HeldDown => Goal.IsHeld;

    /// <summary>Running and ready: its readiness signal came, its startup probe passed, its readiness probe passes.</summary>
    public bool IsReady => Readiness.IsReady;

    /// <summary>Its liveness probe has failed and it is being restarted for it.</summary>
    public bool LivenessFailing => Readiness.LivenessFailing;

    /// <summary>The last STATUS= it sent through sd_notify.</summary>
    public string? StatusText => Readiness.StatusText;

    /// <summary>Corral is stopping it because it failed (not ready in time, a probe, the watchdog): its exit is a crash, not a stop.</summary>
    internal bool StoppingForFailure => State == ServiceState.Stopping && Goal.Kind == GoalKind.Up;

    public bool IsUp => State is ServiceState.Starting or ServiceState.Running or ServiceState.Stopping or ServiceState.Finishing;

    /// <summary>Still to be brought down at shutdown: up, or a oneshot that succeeded and has a down command not run yet.</summary>
    internal bool NeedsBringingDown => IsUp || State == ServiceState.Succeeded && !Spec.DownCommand.IsEmpty;

    /// <summary>The finish (or down) process while Finishing; 0 before it runs.</summary>
    internal int FinishPid { get; set; }

    /// <summary>The argv of the finish (or down) command to spawn.</summary>
    internal System.Collections.Immutable.ImmutableArray<string> FinishArgv { get; set; } = [];

    /// <summary>What the exit that led to Finishing means, carried out once the finish script ends.</summary>
    internal PendingExit? Pending { get; set; }

    public bool IsDone => State is ServiceState.Exited or ServiceState.Succeeded or ServiceState.Failed or ServiceState.Skipped;
}

/// <summary>Crashes in a row (the backoff) and when recent restarts happened (max_restarts within the window).</summary>
internal sealed class CrashHistory
{
    public int Consecutive { get; set; }
    public List<TimeSpan> RestartTimes { get; } = [];

    /// <summary>Starts in a row that ended before startsecs (supervisord's BACKOFF count).</summary>
    public int FailedStarts { get; set; }

    public void Clear()
    {
        Consecutive = 0;
        FailedStarts = 0;
        RestartTimes.Clear();
    }
}

/// <summary>
/// "Started" is not "ready": what the service said (notification fd, READY=1, a log line), what
/// its probes found, and the verdict. Begins afresh with each process.
/// </summary>
internal sealed class Readiness
{
    public bool SignalledReady { get; set; }
    public bool StartupPassed { get; set; }
    public bool ReadinessPassing { get; set; }

    /// <summary>The process has stayed up for startsecs (true without startsecs): its start counts as a success.</summary>
    public bool StartConfirmed { get; set; }
    public bool LivenessFailing { get; set; }
    public bool IsReady { get; set; }
    public string? StatusText { get; set; }
    public int[] Successes { get; } = new int[3];
    public int[] Failures { get; } = new int[3];

    /// <summary>A new process: only what its spec asks for is still to come.</summary>
    public void Begin(ServiceSpec spec)
    {
        SignalledReady = spec.Ready is null;
        StartupPassed = spec.StartupProbe is null;
        ReadinessPassing = spec.ReadinessProbe is null;
        StartConfirmed = spec.StartSeconds is not { } secs || secs <= TimeSpan.Zero;
        LivenessFailing = false;
        StatusText = null;
        Array.Clear(Successes);
        Array.Clear(Failures);
    }

    /// <summary>A fresh start asked for: nothing of the last run counts (what it last said stays for display).</summary>
    public void Clear()
    {
        IsReady = LivenessFailing = SignalledReady = StartupPassed = ReadinessPassing = StartConfirmed = false;
    }

    public bool Verdict(ServiceState state) => state == ServiceState.Running && StartConfirmed && SignalledReady && StartupPassed && ReadinessPassing;
}

/// <summary>An exit waiting for its finish script: its input, why, its status, whether it was asked for, and whether it was stopped for failing.</summary>
internal sealed record PendingExit(ServiceInput Input, string? Why, ExitStatus Status, bool Asked, bool ForFailure);
