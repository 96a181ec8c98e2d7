using Corral.Core.Model;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Requests from a person (<c>corral ctl start|stop|restart|signal|shutdown</c>), with what
/// supervisorctl and s6-svc users expect:
/// - stop is an intentional stop: the service is never restarted after it, whatever its restart
///   policy, until a start or restart request (it is "held down"); a main service stopped so
///   does not end Corral, and no on_failure applies. Its dependents are left alone, and those
///   still waiting for it keep waiting instead of being skipped.
/// - start gives a fresh start: counters, backoff and the max_restarts window are cleared and
///   the dependency gate decides as at boot.
/// - restart is stop, then start once the process has exited. Restarts counts only automatic
///   restarts, so a requested one is not counted and does not feed the backoff.
/// - a service being removed by a reload takes no start or restart: nothing brings it back. A
///   held-down service whose settings a reload changed keeps them and stays down.
/// - while shutting down only stop is honoured; signal reaches a running or stopping process.
/// The runtime checks names before posting; an unknown one is ignored here all the same.
/// </summary>
public sealed partial class Supervisor
{
    const string StoppedByRequest = "stopped by request";
    const string RestartingByRequest = "restarting by request";

    void OnControl(ControlVerb verb, string name)
    {
        if (!records.TryGetValue(name, out var r))
        {
            effects.Add(new Log(LogLevel.Debug, null, $"{Verb(verb)} request for unknown service '{name}' ignored"));
            return;
        }
        if (r.Retiring)
        {
            // Removed by a reload and on its way out: nothing may bring it back.
            Warn(r.Name, $"{Verb(verb)} request ignored: the service is being removed by a reload");
            return;
        }
        if (shutdown is not null && verb != ControlVerb.Stop)
        {
            Warn(r.Name, $"{Verb(verb)} request ignored: shutting down");
            return;
        }
        switch (verb)
        {
            case ControlVerb.Stop: StopByRequest(r); break;
            case ControlVerb.Start: StartByRequest(r); break;
            case ControlVerb.Restart: RestartByRequest(r); break;
        }
    }

    static string Verb(ControlVerb verb) => verb switch
    {
        ControlVerb.Start => "start",
        ControlVerb.Stop => "stop",
        _ => "restart",
    };

    void StopByRequest(ServiceRecord r)
    {
        switch (r.State)
        {
            case ServiceState.Running:
                // Running -> Stopping, then Exited when it is gone (never Backoff).
                Info(r.Name, "stopping by request");
                HoldDown(r);
                StopService(r, StoppedByRequest);
                break;
            case ServiceState.Starting:
                // Its spawn is under way: it is stopped as soon as its pid is known (OnSpawned).
                Info(r.Name, "stopping by request once it has started");
                HoldDown(r);
                r.StopIntended = true;
                r.Reason = StoppedByRequest;
                break;
            case ServiceState.Stopping when WouldComeBack(r) && shutdown is null:
                // Stopping for a restart (by request, for a failed start or probe, for a reload's
                // new settings): it stays down afterwards instead of coming back.
                Info(r.Name, "will stay stopped by request");
                HoldDown(r);
                r.StopIntended = true;
                r.Reason = StoppedByRequest;
                break;
            case ServiceState.Backoff:
                // Backoff -> Exited: the pending restart is called off.
                effects.Add(new CancelTimer(new TimerKey(TimerKind.Restart, r.Name)));
                ExitedByRequest(r);
                break;
            case ServiceState.Waiting:
                // Waiting -> Exited: held down, so it is not started when its dependencies are met.
                ExitedByRequest(r);
                break;
            default:
                effects.Add(new Log(LogLevel.Debug, r.Name, $"stop request: already {r.State.ToString().ToLowerInvariant()}"));
                break;
        }
    }

    static bool WouldComeBack(ServiceRecord r) =>
        r.StartAfterStop || r.Replacement is not null || r.StoppingForRestart && !r.StopIntended;

    void HoldDown(ServiceRecord r)
    {
        r.HeldDown = true;
        r.StartAfterStop = false;
    }

    void ExitedByRequest(ServiceRecord r)
    {
        HoldDown(r);
        r.StopIntended = true;
        r.State = ServiceState.Exited;
        r.Reason = StoppedByRequest;
        Info(r.Name, StoppedByRequest);
        AfterChange();
    }

    void StartByRequest(ServiceRecord r)
    {
        switch (r.State)
        {
            case ServiceState.Exited or ServiceState.Failed or ServiceState.Skipped or ServiceState.Succeeded:
                Info(r.Name, "starting by request");
                Revive(r);
                StartWhatCan();
                if (r.State == ServiceState.Waiting) Info(r.Name, "waiting for its dependencies");
                break;
            case ServiceState.Backoff:
                // Backoff -> Starting, now rather than when the delay ends.
                Info(r.Name, "starting by request");
                effects.Add(new CancelTimer(new TimerKey(TimerKind.Restart, r.Name)));
                Revive(r);
                StartWhatCan();
                break;
            case ServiceState.Stopping:
                // It starts again once its process has exited (HandleExit, StartAgainIfAsked).
                Info(r.Name, "will start again once it has stopped");
                StartOnceStopped(r);
                break;
            case ServiceState.Starting when r.HeldDown:
                // A stop asked for while its spawn was under way is called off.
                Info(r.Name, "starting by request");
                r.HeldDown = false;
                r.StopIntended = false;
                r.Reason = null;
                break;
            default:
                effects.Add(new Log(LogLevel.Debug, r.Name, $"start request: already {Health.Words(r.State)}"));
                break;
        }
    }

    void RestartByRequest(ServiceRecord r)
    {
        if (r.State != ServiceState.Running)
        {
            StartByRequest(r);
            return;
        }
        // Running -> Stopping -> Exited -> Waiting -> Starting: an intentional stop, so the exit
        // is neither a crash (no backoff, not counted in Restarts) nor, for a main service, the end.
        Info(r.Name, RestartingByRequest);
        StopService(r, RestartingByRequest);
        StartOnceStopped(r);
    }

    void StartOnceStopped(ServiceRecord r)
    {
        r.HeldDown = false;
        // The exit ends a stop, not a failure: no restart policy, no on_failure.
        r.StopIntended = true;
        r.StartAfterStop = true;
    }

    /// <summary>Called when a stopped service's process has exited: a start asked for meanwhile happens now.</summary>
    void StartAgainIfAsked(ServiceRecord r)
    {
        if (!r.StartAfterStop) return;
        r.StartAfterStop = false;
        // A reload may have removed or replaced the record meanwhile (a replacement starts on its
        // own), and a shutdown starts nothing.
        if (r.Retiring || shutdown is not null) return;
        if (!records.TryGetValue(r.Name, out var current) || !ReferenceEquals(current, r)) return;
        // Exited -> Waiting
        Revive(r);
    }

    /// <summary>Exited|Failed|Skipped|Succeeded|Backoff -> Waiting, with a clean slate: a fresh start.</summary>
    static void Revive(ServiceRecord r)
    {
        r.State = ServiceState.Waiting;
        r.Reason = null;
        r.HeldDown = false;
        r.StartAfterStop = false;
        r.StopIntended = false;
        r.StoppingForRestart = false;
        r.Consecutive = 0;
        r.RestartTimes.Clear();
        r.IsReady = false;
        r.LivenessFailing = false;
        r.SignalledReady = false;
        r.StartupPassed = false;
        r.ReadinessPassing = false;
    }

    void OnSignalRequested(string name, int signal)
    {
        if (!records.TryGetValue(name, out var r))
        {
            effects.Add(new Log(LogLevel.Debug, null, $"signal request for unknown service '{name}' ignored"));
            return;
        }
        if (signal is < 1 or > Signals.Max)
        {
            effects.Add(new Log(LogLevel.Debug, r.Name, $"signal request ignored: {signal} is not a signal"));
            return;
        }
        // A stopping process still runs: a KILL for one stuck in its grace period is wanted.
        if (r.Pid == 0 || r.State is not (ServiceState.Running or ServiceState.Stopping))
        {
            effects.Add(new Log(LogLevel.Debug, r.Name, $"{Signals.NameOf(signal)} not sent: not running ({Health.Words(r.State)})"));
            return;
        }
        Info(r.Name, $"sending {Signals.NameOf(signal)} by request");
        effects.Add(new SignalService(r.Name, r.Group, signal, r.Pid));
    }

    void OnShutdownRequested(string why)
    {
        if (shutdown is not null)
        {
            effects.Add(new Log(LogLevel.Debug, null, "shutdown request: already shutting down"));
            return;
        }
        BeginShutdown(0, string.IsNullOrWhiteSpace(why) ? "shutdown requested, shutting down" : why);
        shutdownRequestedAt = now;
    }
}
