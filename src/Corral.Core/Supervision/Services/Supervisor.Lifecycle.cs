using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>Starting, exiting and restarting services.</summary>
public sealed partial class Supervisor
{
    /// <summary>Starts every Waiting service whose dependencies are met; skips those that never can be.</summary>
    void StartWhatCan()
    {
        if (shutdown is not null) return;
        bool changed;
        do
        {
            changed = false;
            foreach (var spec in plan.StartOrder)
            {
                var r = records[spec.Name];
                if (r.State != ServiceState.Waiting) continue;
                switch (Gate(r, out var reason))
                {
                    case GateResult.Open:
                        StartService(r);
                        break;
                    case GateResult.Never:
                        // Waiting -> Skipped
                        r.State = ServiceState.Skipped;
                        r.Reason = reason;
                        Warn(r.Name, $"skipped: {reason}");
                        changed = true;
                        break;
                }
            }
        } while (changed);
    }

    void StartService(ServiceRecord r)
    {
        // Waiting|Backoff -> Starting
        r.State = ServiceState.Starting;
        r.StopIntended = false;
        effects.Add(new Spawn(r.Name));
    }

    void OnSpawned(Spawned s)
    {
        if (!records.TryGetValue(s.Service, out var r)) return;
        if (r.State != ServiceState.Starting) return;
        if (s.Errno != 0)
        {
            Error(r.Name, $"cannot start: {s.Reason ?? ErrnoText(s.Errno)}");
            r.StartedAt = now;
            HandleExit(r, ExitStatus.Exited(Init.InitAutomaton.ExecFailureCode(s.Errno)));
            return;
        }
        // Starting -> Running
        r.State = ServiceState.Running;
        r.Pid = s.Pid;
        r.Group = s.Pid;
        r.FormerPids.Clear();
        r.StartedAt = now;
        byPid[s.Pid] = r;
        Info(r.Name, r.Restarts == 0 ? $"started (pid {s.Pid})" : $"restarted (pid {s.Pid}, restart {r.Restarts})");
        if (shutdown is not null)
        {
            StopService(r, "shutting down");
            return;
        }
        if (r.StopIntended)
        {
            // Asked to stop (by request, by a reload) while its spawn was under way.
            StopService(r, r.Reason ?? "no longer wanted");
            return;
        }
        BeginReadiness(r);
        StartWhatCan();
    }

    static string ErrnoText(int errno) => errno switch
    {
        2 => "no such file or directory",
        13 => "permission denied",
        20 => "not a directory",
        21 => "is a directory",
        8 => "exec format error",
        _ => $"errno {errno}",
    };

    void OnExited(ProcessExited x)
    {
        if (byPid.TryGetValue(x.Pid, out var former) && former.FormerPids.Remove(x.Pid))
        {
            // The process that handed over with MAINPID= is gone; the service lives on.
            byPid.Remove(x.Pid);
            effects.Add(new Log(LogLevel.Debug, former.Name, $"former main process {x.Pid} exited ({x.Status})"));
            return;
        }
        if (!byPid.Remove(x.Pid, out var r))
        {
            ReapedOrphans++;
            effects.Add(new Log(LogLevel.Debug, null, $"reaped orphan pid {x.Pid} ({x.Status})"));
            return;
        }
        HandleExit(r, x.Status);
    }

    void HandleExit(ServiceRecord r, ExitStatus status)
    {
        var group = r.Group;
        r.Pid = 0;
        foreach (var old in r.FormerPids) byPid.Remove(old);
        r.FormerPids.Clear();
        r.LastExit = status;
        EndReadiness(r);
        var success = !status.WasSignaled && r.Spec.SuccessExitCodes.Contains(status.Code);

        if (r.Retiring || r.Replacement is not null) r.StopIntended = true;
        if (r.StoppingForRestart && !r.StopIntended && shutdown is null)
        {
            // Stopping -> Backoff|Failed: Corral stopped it for failing to become ready or stay
            // alive; that is a failure, whatever its exit code.
            r.StoppingForRestart = false;
            effects.Add(new CancelTimer(new TimerKey(TimerKind.StopTimeout, r.Name)));
            if (group > 0) effects.Add(new SignalService(r.Name, group, Signals.SIGKILL));
            r.State = ServiceState.Running;
            if (r.Spec.Main)
            {
                r.State = ServiceState.Failed;
                BeginShutdown(FailureCode(r), $"main service '{r.Name}' failed: {r.Reason}");
                return;
            }
            if (r.Spec.EffectiveRestart == RestartPolicy.Never) Fail(r, r.Reason ?? "failed");
            else ScheduleRestart(r, status);
            return;
        }
        r.StoppingForRestart = false;

        if (r.State == ServiceState.Stopping || r.StopIntended)
        {
            // Stopping -> Exited: Corral asked for it, so it is never restarted. Whatever is
            // left of the service's process group had its stop signal already; it goes now.
            effects.Add(new CancelTimer(new TimerKey(TimerKind.StopTimeout, r.Name)));
            if (group > 0) effects.Add(new SignalService(r.Name, group, Signals.SIGKILL));
            r.State = ServiceState.Exited;
            Info(r.Name, $"stopped ({status})");
            FinishReloadOf(r);
            StartAgainIfAsked(r);
            AfterChange();
            return;
        }

        if (shutdown is not null)
        {
            // Running -> Exited during shutdown, before Corral asked it to stop.
            r.State = ServiceState.Exited;
            Info(r.Name, $"exited ({status})");
            AfterChange();
            return;
        }

        if (r.Spec.Main)
        {
            // Running -> Exited|Failed: a main service ending ends everything, with its code.
            r.State = success ? ServiceState.Exited : ServiceState.Failed;
            BeginShutdown(status.ShellCode, $"main service '{r.Name}' {status}, shutting down");
            return;
        }

        if (r.Spec.Type == ServiceType.Oneshot && success)
        {
            // Running -> Succeeded
            r.State = ServiceState.Succeeded;
            Info(r.Name, "completed successfully");
            StartWhatCan();
            return;
        }

        var restart = r.Spec.EffectiveRestart switch
        {
            RestartPolicy.Always => true,
            RestartPolicy.OnFailure => !success,
            _ => false,
        };
        if (!restart)
        {
            // Running -> Exited (clean end of a longrun) | Failed
            if (success)
            {
                r.State = ServiceState.Exited;
                Info(r.Name, $"exited ({status})");
                StartWhatCan();
            }
            else Fail(r, $"{status}");
            return;
        }
        ScheduleRestart(r, status);
    }

    void ScheduleRestart(ServiceRecord r, ExitStatus status)
    {
        var backoff = r.Spec.Backoff;
        if (now - r.StartedAt >= backoff.ResetAfter) r.Consecutive = 0;
        r.Consecutive++;
        r.RestartTimes.RemoveAll(t => now - t >= r.Spec.RestartWindow);
        if (r.Spec.MaxRestarts is { } max && r.RestartTimes.Count >= max)
        {
            Fail(r, $"{status}; gave up after {r.RestartTimes.Count} restart{(r.RestartTimes.Count == 1 ? "" : "s")} within {Durations.Format(r.Spec.RestartWindow)}");
            return;
        }
        // Running -> Backoff
        var delay = backoff.DelayFor(r.Consecutive);
        r.RestartTimes.Add(now);
        r.State = ServiceState.Backoff;
        effects.Add(new ArmTimer(new TimerKey(TimerKind.Restart, r.Name), now + delay));
        Warn(r.Name, $"{status}; restarting in {Durations.Format(delay)}");
    }

    void OnRestartDue(ServiceRecord r)
    {
        if (r.State != ServiceState.Backoff || shutdown is not null) return;
        // Backoff -> Starting
        r.Restarts++;
        StartService(r);
    }

    /// <summary>Running|Starting -> Failed, and what that failure does to the rest.</summary>
    void Fail(ServiceRecord r, string why)
    {
        r.State = ServiceState.Failed;
        r.Reason = why;
        Error(r.Name, $"failed: {why}");
        switch (r.Spec.OnFailure)
        {
            case FailureAction.Shutdown:
                BeginShutdown(FailureCode(r), $"service '{r.Name}' failed and has on_failure: shutdown");
                return;
            case FailureAction.StopDependents:
                foreach (var dependent in TransitiveDependents(r.Name))
                {
                    var d = records[dependent];
                    if (d.IsUp && d.State != ServiceState.Stopping) StopService(d, $"'{r.Name}' failed");
                    else if (d.State is ServiceState.Waiting or ServiceState.Backoff) Skip(d, $"'{r.Name}' failed");
                }
                break;
        }
        if (r.Spec.Type == ServiceType.Oneshot && DependentsOf(r.Name).Any(d => NeedsSuccessOf(d, r.Name)))
        {
            BeginShutdown(FailureCode(r), $"oneshot '{r.Name}' failed and other services depend on it");
            return;
        }
        StartWhatCan();
    }

    static int FailureCode(ServiceRecord r) => r.LastExit is { } s && s.ShellCode != 0 ? s.ShellCode : 1;

    void Skip(ServiceRecord r, string why)
    {
        if (r.State == ServiceState.Backoff) effects.Add(new CancelTimer(new TimerKey(TimerKind.Restart, r.Name)));
        r.State = ServiceState.Skipped;
        r.Reason = why;
        Warn(r.Name, $"skipped: {why}");
    }

    /// <summary>Intentional stop: the stop signal and CONT to the group, KILL after the timeout.</summary>
    void StopService(ServiceRecord r, string why)
    {
        // Running -> Stopping
        r.StopIntended = true;
        r.Reason = why;
        if (r.Pid == 0)
        {
            r.State = ServiceState.Exited;
            return;
        }
        EndReadiness(r);
        r.State = ServiceState.Stopping;
        effects.Add(new SignalService(r.Name, r.Group, r.Spec.Stop.Signal, r.Pid));
        if (r.Spec.Stop.Signal != Signals.SIGCONT) effects.Add(new SignalService(r.Name, r.Group, Signals.SIGCONT, r.Pid));
        effects.Add(new ArmTimer(new TimerKey(TimerKind.StopTimeout, r.Name), now + r.Spec.Stop.Timeout));
        effects.Add(new Log(LogLevel.Debug, r.Name, $"stopping ({why}): {Signals.NameOf(r.Spec.Stop.Signal)}"));
    }

    void OnStopTimeout(ServiceRecord r)
    {
        if (r.State != ServiceState.Stopping || r.Pid == 0) return;
        Warn(r.Name, $"did not stop within {Durations.Format(r.Spec.Stop.Timeout)}: sending SIGKILL");
        effects.Add(new SignalService(r.Name, r.Group, Signals.SIGKILL, r.Pid));
    }

    /// <summary>After a service went down: the next step of a shutdown, or new starts.</summary>
    void AfterChange()
    {
        if (shutdown is not null) ContinueShutdown();
        else StartWhatCan();
    }
}
