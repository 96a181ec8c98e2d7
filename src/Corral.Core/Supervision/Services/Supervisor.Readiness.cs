using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Readiness and health: "started" is not "ready". A service is ready once its own signal came
/// (notification fd, sd_notify READY=1, a log line), its startup probe passed and its readiness
/// probe passes. Probes follow Kubernetes: the startup probe gates the others; a failing
/// readiness probe only takes readiness away; a failing liveness probe restarts the service
/// through its restart policy. Probes are asked for one at a time per service and role (the
/// next is armed when the result is in), so they never pile up.
/// </summary>
public sealed partial class Supervisor
{
    static TimerKind TimerFor(ProbeRole role) => role switch
    {
        ProbeRole.Startup => TimerKind.StartupProbe,
        ProbeRole.Readiness => TimerKind.ReadinessProbe,
        _ => TimerKind.LivenessProbe,
    };

    static ProbeRole RoleFor(TimerKind kind) => kind switch
    {
        TimerKind.StartupProbe => ProbeRole.Startup,
        TimerKind.ReadinessProbe => ProbeRole.Readiness,
        _ => ProbeRole.Liveness,
    };

    /// <summary>A new process of the service is running: readiness starts from scratch.</summary>
    void BeginReadiness(ServiceRecord r)
    {
        var spec = r.Spec;
        r.SignalledReady = spec.Ready is null;
        r.StartupPassed = spec.StartupProbe is null;
        r.ReadinessPassing = spec.ReadinessProbe is null;
        r.LivenessFailing = false;
        r.StatusText = null;
        Array.Clear(r.ProbeSuccesses);
        Array.Clear(r.ProbeFailures);
        if (spec.StartupProbe is { } startup) ArmProbe(r, ProbeRole.Startup, startup.InitialDelay);
        else StartRunningProbes(r);
        if (spec.Watchdog is { } watchdog) effects.Add(new ArmTimer(new TimerKey(TimerKind.Watchdog, r.Name), now + watchdog));
        UpdateReady(r);
        if (!r.IsReady && spec.ReadyTimeout is { } timeout)
            effects.Add(new ArmTimer(new TimerKey(TimerKind.ReadyTimeout, r.Name), now + timeout));
    }

    void StartRunningProbes(ServiceRecord r)
    {
        if (r.Spec.ReadinessProbe is { } readiness) ArmProbe(r, ProbeRole.Readiness, readiness.InitialDelay);
        if (r.Spec.LivenessProbe is { } liveness) ArmProbe(r, ProbeRole.Liveness, liveness.InitialDelay);
    }

    void ArmProbe(ServiceRecord r, ProbeRole role, TimeSpan after) =>
        effects.Add(new ArmTimer(new TimerKey(TimerFor(role), r.Name), now + after));

    /// <summary>The process is gone: its probes, ready timeout and watchdog go with it.</summary>
    void EndReadiness(ServiceRecord r)
    {
        var wasReady = r.IsReady;
        r.IsReady = false;
        foreach (var kind in new[] { TimerKind.StartupProbe, TimerKind.ReadinessProbe, TimerKind.LivenessProbe, TimerKind.ReadyTimeout, TimerKind.Watchdog })
            effects.Add(new CancelTimer(new TimerKey(kind, r.Name)));
        if (wasReady) effects.Add(new Log(LogLevel.Debug, r.Name, "no longer ready"));
    }

    void UpdateReady(ServiceRecord r)
    {
        var ready = r.State == ServiceState.Running && r.SignalledReady && r.StartupPassed && r.ReadinessPassing;
        if (ready == r.IsReady) return;
        r.IsReady = ready;
        if (ready)
        {
            effects.Add(new CancelTimer(new TimerKey(TimerKind.ReadyTimeout, r.Name)));
            if (r.Spec.HasReadiness) Info(r.Name, $"ready{(r.StatusText is { } s ? $" ({s})" : "")}");
            StartWhatCan();
        }
        else Warn(r.Name, "not ready");
    }

    void OnNotified(Notified n)
    {
        if (!records.TryGetValue(n.Service, out var r)) return;
        // Pid 0: from a channel that knows only the service (its sd_notify socket): the current process.
        if (n.Pid != 0 && r.Pid != n.Pid || r.State != ServiceState.Running) return;
        switch (n.Kind)
        {
            case NotifyKind.Ready:
                r.SignalledReady = true;
                UpdateReady(r);
                break;
            case NotifyKind.Status:
                r.StatusText = n.Text;
                effects.Add(new Log(LogLevel.Debug, r.Name, $"status: {n.Text}"));
                break;
            case NotifyKind.Stopping:
                Info(r.Name, "says it is stopping");
                break;
            case NotifyKind.MainPid:
                // systemd's MAINPID=: a service that forks hands its main role to another
                // process (re-parented to Corral, so its exit is still reaped here).
                if (int.TryParse(n.Text, out var main) && main > 1 && main != r.Pid && !byPid.ContainsKey(main))
                {
                    r.FormerPids.Add(r.Pid);
                    r.Pid = main;
                    byPid[main] = r;
                    Info(r.Name, $"main process is now pid {main}");
                }
                break;
            case NotifyKind.Watchdog:
                if (r.Spec.Watchdog is { } watchdog)
                    effects.Add(new ArmTimer(new TimerKey(TimerKind.Watchdog, r.Name), now + watchdog));
                break;
        }
    }

    void OnProbeDue(ServiceRecord r, ProbeRole role)
    {
        if (r.State != ServiceState.Running || r.Pid == 0 || shutdown is not null) return;
        effects.Add(new RunProbe(r.Name, r.Pid, role));
    }

    void OnProbeResult(ProbeResult p)
    {
        if (!records.TryGetValue(p.Service, out var r)) return;
        if (r.State != ServiceState.Running || shutdown is not null) return;
        if (r.Pid != p.Pid)
        {
            // A result about a process that is no longer the main one (MAINPID=): ask again.
            if (r.Group == p.Pid || r.FormerPids.Contains(p.Pid)) ArmProbe(r, p.Role, TimeSpan.Zero);
            return;
        }
        var probe = r.Spec.Probe(p.Role)!;
        var i = (int)p.Role;
        if (p.Success) { r.ProbeSuccesses[i]++; r.ProbeFailures[i] = 0; }
        else { r.ProbeFailures[i]++; r.ProbeSuccesses[i] = 0; }
        var detail = p.Detail is null ? "" : $": {p.Detail}";
        if (!p.Success) effects.Add(new Log(LogLevel.Debug, r.Name, $"{RoleName(p.Role)} probe failed{detail}"));

        switch (p.Role)
        {
            case ProbeRole.Startup:
                if (r.ProbeSuccesses[i] >= probe.SuccessThreshold)
                {
                    r.StartupPassed = true;
                    effects.Add(new Log(LogLevel.Debug, r.Name, "startup probe passed"));
                    StartRunningProbes(r);
                    UpdateReady(r);
                    return; // the startup probe is done for this process
                }
                if (r.ProbeFailures[i] >= probe.FailureThreshold)
                {
                    RestartForFailure(r, $"startup probe failed {r.ProbeFailures[i]} times{detail}");
                    return;
                }
                break;
            case ProbeRole.Readiness:
                if (r.ProbeSuccesses[i] >= probe.SuccessThreshold) r.ReadinessPassing = true;
                if (r.ProbeFailures[i] >= probe.FailureThreshold) r.ReadinessPassing = false;
                UpdateReady(r);
                break;
            case ProbeRole.Liveness:
                if (r.ProbeFailures[i] >= probe.FailureThreshold)
                {
                    r.LivenessFailing = true;
                    RestartForFailure(r, $"liveness probe failed {r.ProbeFailures[i]} times{detail}");
                    return;
                }
                break;
        }
        ArmProbe(r, p.Role, probe.Period);
    }

    static string RoleName(ProbeRole role) => role switch
    {
        ProbeRole.Startup => "startup",
        ProbeRole.Readiness => "readiness",
        _ => "liveness",
    };

    void OnReadyTimeout(ServiceRecord r)
    {
        if (r.State != ServiceState.Running || r.IsReady) return;
        RestartForFailure(r, $"not ready within {Durations.Format(r.Spec.ReadyTimeout!.Value)}");
    }

    void OnWatchdog(ServiceRecord r)
    {
        if (r.State != ServiceState.Running) return;
        RestartForFailure(r, $"watchdog: no WATCHDOG=1 within {Durations.Format(r.Spec.Watchdog!.Value)}");
    }

    /// <summary>
    /// Running -> Stopping, as a failure: the process is stopped (stop signal, KILL after the
    /// timeout) and its exit then goes through the restart policy like a crash.
    /// </summary>
    void RestartForFailure(ServiceRecord r, string why)
    {
        Warn(r.Name, $"{why}: stopping it");
        r.StoppingForRestart = true;
        r.Reason = why;
        EndReadiness(r);
        r.State = ServiceState.Stopping;
        effects.Add(new SignalService(r.Name, r.Group, r.Spec.Stop.Signal, r.Pid));
        if (r.Spec.Stop.Signal != Signals.SIGCONT) effects.Add(new SignalService(r.Name, r.Group, Signals.SIGCONT, r.Pid));
        effects.Add(new ArmTimer(new TimerKey(TimerKind.StopTimeout, r.Name), now + r.Spec.Stop.Timeout));
    }
}
