using Corral.Core.Model;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Requests from a person (<c>corral ctl start|stop|restart|signal|shutdown</c>) turned into
/// goals, with what supervisorctl and s6-svc users expect:
/// - stop sets the goal Held: the service is never restarted after it, whatever its restart
///   policy, until a start or restart request; a main service stopped so does not end Corral,
///   and no on_failure applies. Its dependents are left alone, and those still waiting for it
///   keep waiting instead of being skipped.
/// - start gives a fresh start (goal Up): counters, backoff and the max_restarts window are
///   cleared and the dependency gate decides as at boot.
/// - restart sets the goal Restart: stop, then a fresh start once the process has exited.
///   Restarts counts only automatic restarts, so a requested one is not counted and does not
///   feed the backoff.
/// - a service being removed by a reload takes no start or restart: nothing brings it back. A
///   held-down service whose settings a reload changed keeps them and stays down.
/// - while shutting down only stop is honoured (<see cref="Refusal"/>, which the runtime asks
///   too, before it answers); signal reaches a running or stopping process.
/// </summary>
internal sealed class Requests(Orchestrator o)
{
    const string StoppedByRequest = "stopped by request";
    const string RestartingByRequest = "restarting by request";

    /// <summary>Why a request of this verb is refused as a whole right now, or null.</summary>
    public string? Refusal(ControlVerb verb) =>
        o.Shutdown.Begun && verb != ControlVerb.Stop ? "corral is shutting down" : null;

    public void OnControl(ControlVerb verb, string name, Decision d)
    {
        if (!o.TryGet(name, out var r))
        {
            d.Debug(null, $"{Verb(verb)} request for unknown service '{name}' ignored");
            return;
        }
        if (r.Goal.Kind == GoalKind.Remove)
        {
            // Removed by a reload and on its way out: nothing may bring it back.
            d.Warn(r.Name, $"{Verb(verb)} request ignored: the service is being removed by a reload");
            return;
        }
        if (Refusal(verb) is { } refused)
        {
            d.Warn(r.Name, $"{Verb(verb)} request ignored: {refused}");
            return;
        }
        switch (verb)
        {
            case ControlVerb.Stop: Stop(r, d); break;
            case ControlVerb.Start: Start(r, d); break;
            case ControlVerb.Restart: Restart(r, d); break;
        }
    }

    static string Verb(ControlVerb verb) => verb switch
    {
        ControlVerb.Start => "start",
        ControlVerb.Stop => "stop",
        _ => "restart",
    };

    /// <summary>The goal becomes Held (a replacement's stays Replace, held).</summary>
    static void Hold(ServiceRecord r)
    {
        r.Goal = r.Goal.Kind == GoalKind.Replace ? Goal.Replace(r.Goal.Next!, thenHeld: true) : Goal.Held;
        r.Reason = StoppedByRequest;
    }

    void Stop(ServiceRecord r, Decision d)
    {
        switch (r.State)
        {
            case ServiceState.Running:
                // Running -> Stopping, then Exited when it is gone (never Backoff).
                d.Info(r.Name, "stopping by request");
                Hold(r);
                o.Stop(r, StoppedByRequest, d);
                break;
            case ServiceState.Starting:
                // Its spawn is under way: it is stopped as soon as its pid is known.
                d.Info(r.Name, "stopping by request once it has started");
                Hold(r);
                break;
            case ServiceState.Stopping when !r.Goal.IsHeld && (r.Goal.ComesBack || r.StoppingForFailure) && !o.Shutdown.Begun:
                // Stopping to come back (a restart, a failed start or probe, a reload's new
                // settings): it stays down afterwards instead.
                d.Info(r.Name, "will stay stopped by request");
                Hold(r);
                break;
            case ServiceState.Finishing when !r.Goal.IsHeld && !o.Shutdown.Begun:
                // Its finish script runs: it stays down once that has ended.
                d.Info(r.Name, "will stay stopped once its finish script has ended");
                Hold(r);
                break;
            case ServiceState.Backoff or ServiceState.Waiting:
                // Backoff|Waiting -> Exited: the pending restart is called off, or it is not
                // started when its dependencies are met.
                Hold(r);
                o.StopWithoutProcess(r, StoppedByRequest, d);
                d.Info(r.Name, StoppedByRequest);
                o.AfterChange(d);
                break;
            default:
                d.Debug(r.Name, $"stop request: already {r.State.ToString().ToLowerInvariant()}");
                break;
        }
    }

    void Start(ServiceRecord r, Decision d)
    {
        switch (r.State)
        {
            case ServiceState.Exited or ServiceState.Failed or ServiceState.Skipped or ServiceState.Succeeded or ServiceState.Backoff:
                // -> Waiting -> Starting (Backoff: now rather than when the delay ends).
                d.Info(r.Name, "starting by request");
                o.Revive(r, d);
                o.StartWhatCan(d);
                if (r.State == ServiceState.Waiting) d.Info(r.Name, "waiting for its dependencies");
                break;
            case ServiceState.Waiting when r.Goal.Kind == GoalKind.Held:
                // Held before it ever started (autostart off): it starts when its dependencies allow.
                d.Info(r.Name, "starting by request");
                r.Goal = Goal.Up;
                r.Reason = null;
                o.StartWhatCan(d);
                if (r.State == ServiceState.Waiting) d.Info(r.Name, "waiting for its dependencies");
                break;
            case ServiceState.Stopping or ServiceState.Finishing:
                // It starts again once its process has exited (and its finish script ended).
                d.Info(r.Name, "will start again once it has stopped");
                StartOnceStopped(r);
                break;
            case ServiceState.Starting when r.Goal.Kind != GoalKind.Up:
                // A stop asked for while its spawn was under way is called off.
                d.Info(r.Name, "starting by request");
                r.Goal = Goal.Up;
                r.Reason = null;
                break;
            default:
                d.Debug(r.Name, $"start request: already {Health.Words(r.State)}");
                break;
        }
    }

    void Restart(ServiceRecord r, Decision d)
    {
        if (r.State != ServiceState.Running)
        {
            Start(r, d);
            return;
        }
        // Running -> Stopping -> Exited -> Waiting -> Starting: an intentional stop, so the exit
        // is neither a crash (no backoff, not counted in Restarts) nor, for a main service, the end.
        d.Info(r.Name, RestartingByRequest);
        r.Goal = Goal.Restart;
        o.Stop(r, RestartingByRequest, d);
    }

    /// <summary>A stopping service comes back once its process has exited (a reload's replacement does on its own).</summary>
    static void StartOnceStopped(ServiceRecord r)
    {
        r.Goal = r.Goal.Kind == GoalKind.Replace ? Goal.Replace(r.Goal.Next!) : Goal.Restart;
    }

    public void OnSignal(string name, int signal, Decision d)
    {
        if (!o.TryGet(name, out var r))
        {
            d.Debug(null, $"signal request for unknown service '{name}' ignored");
            return;
        }
        if (signal is < 1 or > Signals.Max)
        {
            d.Debug(r.Name, $"signal request ignored: {signal} is not a signal");
            return;
        }
        // A stopping process still runs: a KILL for one stuck in its grace period is wanted.
        if (r.Pid == 0 || r.State is not (ServiceState.Running or ServiceState.Stopping))
        {
            d.Debug(r.Name, $"{Signals.NameOf(signal)} not sent: not running ({Health.Words(r.State)})");
            return;
        }
        d.Info(r.Name, $"sending {Signals.NameOf(signal)} by request");
        d.Add(new SignalService(r.Name, r.Group, signal, r.MainOutsideGroup ? r.Pid : 0));
    }
}
