using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Readiness and health: "started" is not "ready". A service is ready once its own signal came
/// (notification fd, sd_notify READY=1, a log line), its startup probe passed and its readiness
/// probe passes. Probes follow Kubernetes: the startup probe gates the others; a failing
/// readiness probe only takes readiness away; a failing liveness probe (like a ready timeout or
/// a silent watchdog) stops the service as a failure, so its restart policy decides. Probes are
/// asked for one at a time per service and role (the next is armed when the result is in), so
/// they never pile up.
/// </summary>
internal sealed class ReadinessRules(Orchestrator o)
{
    static readonly TimerKind[] ProcessTimers = [TimerKind.StartupProbe, TimerKind.ReadinessProbe, TimerKind.LivenessProbe, TimerKind.ReadyTimeout, TimerKind.Watchdog, TimerKind.StartSeconds];

    public static TimerKind TimerFor(ProbeRole role) => role switch
    {
        ProbeRole.Startup => TimerKind.StartupProbe,
        ProbeRole.Readiness => TimerKind.ReadinessProbe,
        _ => TimerKind.LivenessProbe,
    };

    public static ProbeRole RoleFor(TimerKind kind) => kind switch
    {
        TimerKind.StartupProbe => ProbeRole.Startup,
        TimerKind.ReadinessProbe => ProbeRole.Readiness,
        _ => ProbeRole.Liveness,
    };

    /// <summary>A new process of the service is running: readiness starts from scratch.</summary>
    public void Begin(ServiceRecord r, Decision d)
    {
        var spec = r.Spec;
        r.Readiness.Begin(spec);
        if (!r.Readiness.StartConfirmed) d.Arm(TimerKind.StartSeconds, r.Name, spec.StartSeconds!.Value);
        if (spec.StartupProbe is { } startup) d.Arm(TimerKind.StartupProbe, r.Name, startup.InitialDelay);
        else ArmRunningProbes(r, d);
        if (spec.Watchdog is { } watchdog) d.Arm(TimerKind.Watchdog, r.Name, watchdog);
        Update(r, d);
        if (!r.IsReady && spec.ReadyTimeout is { } timeout) d.Arm(TimerKind.ReadyTimeout, r.Name, timeout);
    }

    static void ArmRunningProbes(ServiceRecord r, Decision d)
    {
        if (r.Spec.ReadinessProbe is { } readiness) d.Arm(TimerKind.ReadinessProbe, r.Name, readiness.InitialDelay);
        if (r.Spec.LivenessProbe is { } liveness) d.Arm(TimerKind.LivenessProbe, r.Name, liveness.InitialDelay);
    }

    /// <summary>The process is going or gone: its probes, ready timeout and watchdog go with it.</summary>
    public static void End(ServiceRecord r, Decision d)
    {
        var wasReady = r.Readiness.IsReady;
        r.Readiness.IsReady = false;
        foreach (var kind in ProcessTimers) d.Cancel(kind, r.Name);
        if (wasReady) d.Debug(r.Name, "no longer ready");
    }

    void Update(ServiceRecord r, Decision d)
    {
        var ready = r.Readiness.Verdict(r.State);
        if (ready == r.Readiness.IsReady) return;
        r.Readiness.IsReady = ready;
        if (ready)
        {
            d.Cancel(TimerKind.ReadyTimeout, r.Name);
            if (r.Spec.HasReadiness) d.Info(r.Name, $"ready{(r.StatusText is { } s ? $" ({s})" : "")}");
            o.StartWhatCan(d);
        }
        else d.Warn(r.Name, "not ready");
    }

    public void OnNotified(Notified n, Decision d)
    {
        if (!o.TryGet(n.Service, out var r)) return;
        // Pid 0: from a channel that knows only the service (its sd_notify socket): the current process.
        if (n.Pid != 0 && r.Pid != n.Pid || r.State != ServiceState.Running) return;
        switch (n.Kind)
        {
            case NotifyKind.Ready:
                r.Readiness.SignalledReady = true;
                Update(r, d);
                break;
            case NotifyKind.Status:
                r.Readiness.StatusText = n.Text;
                d.Debug(r.Name, $"status: {n.Text}");
                break;
            case NotifyKind.Stopping:
                d.Info(r.Name, "says it is stopping");
                break;
            case NotifyKind.MainPid:
                // systemd's MAINPID=: a service that forks hands its main role to another
                // process (re-parented to Corral, so its exit is still reaped here).
                if (int.TryParse(n.Text, out var main)) o.MainProcessMoved(r, main, n.MainGroup, d);
                break;
            case NotifyKind.Watchdog:
                if (r.Spec.Watchdog is { } watchdog) d.Arm(TimerKind.Watchdog, r.Name, watchdog);
                break;
        }
    }

    public void OnProbeDue(ServiceRecord r, ProbeRole role, Decision d)
    {
        if (r.State != ServiceState.Running || r.Pid == 0 || o.Shutdown.Begun) return;
        d.Add(new RunProbe(r.Name, r.Pid, role));
    }

    public void OnProbeResult(ProbeResult p, Decision d)
    {
        if (!o.TryGet(p.Service, out var r)) return;
        if (r.State != ServiceState.Running || o.Shutdown.Begun) return;
        if (r.Pid != p.Pid)
        {
            // A result about a process that is no longer the main one (MAINPID=): ask again.
            if (r.Group == p.Pid || r.FormerPids.Contains(p.Pid)) d.Arm(TimerFor(p.Role), r.Name, TimeSpan.Zero);
            return;
        }
        var probe = r.Spec.Probe(p.Role)!;
        var i = (int)p.Role;
        var state = r.Readiness;
        if (p.Success) { state.Successes[i]++; state.Failures[i] = 0; }
        else { state.Failures[i]++; state.Successes[i] = 0; }
        var detail = p.Detail is null ? "" : $": {p.Detail}";
        if (!p.Success) d.Debug(r.Name, $"{RoleName(p.Role)} probe failed{detail}");

        switch (p.Role)
        {
            case ProbeRole.Startup:
                if (state.Successes[i] >= probe.SuccessThreshold)
                {
                    state.StartupPassed = true;
                    d.Debug(r.Name, "startup probe passed");
                    ArmRunningProbes(r, d);
                    Update(r, d);
                    return; // the startup probe is done for this process
                }
                if (state.Failures[i] >= probe.FailureThreshold)
                {
                    StopForFailure(r, $"startup probe failed {state.Failures[i]} times{detail}", d);
                    return;
                }
                break;
            case ProbeRole.Readiness:
                if (state.Successes[i] >= probe.SuccessThreshold) state.ReadinessPassing = true;
                if (state.Failures[i] >= probe.FailureThreshold) state.ReadinessPassing = false;
                Update(r, d);
                break;
            case ProbeRole.Liveness:
                if (state.Failures[i] >= probe.FailureThreshold)
                {
                    state.LivenessFailing = true;
                    StopForFailure(r, $"liveness probe failed {state.Failures[i]} times{detail}", d);
                    return;
                }
                break;
        }
        d.Arm(TimerFor(p.Role), r.Name, probe.Period);
    }

    static string RoleName(ProbeRole role) => role switch
    {
        ProbeRole.Startup => "startup",
        ProbeRole.Readiness => "readiness",
        _ => "liveness",
    };

    /// <summary>
    /// The process stayed up for startsecs: its start is a success (supervisord's STARTING ->
    /// RUNNING), the failed-start count starts again.
    /// </summary>
    public void OnStartConfirmed(ServiceRecord r, Decision d)
    {
        if (r.State != ServiceState.Running || r.Readiness.StartConfirmed) return;
        r.Readiness.StartConfirmed = true;
        r.Crashes.FailedStarts = 0;
        d.Debug(r.Name, $"up for {Durations.Format(r.Spec.StartSeconds!.Value)}: started");
        Update(r, d);
    }

    public void OnReadyTimeout(ServiceRecord r, Decision d)
    {
        if (r.State != ServiceState.Running || r.IsReady) return;
        StopForFailure(r, $"not ready within {Durations.Format(r.Spec.ReadyTimeout!.Value)}", d);
    }

    public void OnWatchdog(ServiceRecord r, Decision d)
    {
        if (r.State != ServiceState.Running) return;
        StopForFailure(r, $"watchdog: no WATCHDOG=1 within {Durations.Format(r.Spec.Watchdog!.Value)}", d);
    }

    void StopForFailure(ServiceRecord r, string why, Decision d) => o.StopForFailure(r, why, d);
}
