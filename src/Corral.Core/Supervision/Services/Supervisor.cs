using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Overview: the supervisor as a pure function of events, <c>Decide(event, now) → effects</c>.
/// Each service moves by <see cref="ServiceMachine"/>'s table; the <see cref="Orchestrator"/>
/// sets goals and feeds the machines (gating, exits, failures), with <see cref="Requests"/>,
/// <see cref="ReloadRules"/>, <see cref="ReadinessRules"/> and <see cref="ShutdownSequence"/>
/// for their concerns. It does no I/O, reads no clock and starts no thread; the runtime feeds
/// it events and carries out effects (<see cref="SupervisorDriver"/>). This class only routes.
/// </summary>
public sealed class Supervisor
{
    readonly Orchestrator orchestrator;
    readonly ReadinessRules readiness;
    readonly Requests requests;
    readonly ReloadRules reloads;
    bool pid1;
    Events.ProcessStateEvents? stateEvents;
    Planning.Plan? eventsPlan;
    HashSet<string> wantedEvents = [];

    public Supervisor(Planning.Plan plan)
    {
        orchestrator = new Orchestrator(plan);
        readiness = new ReadinessRules(orchestrator);
        requests = new Requests(orchestrator);
        reloads = new ReloadRules(orchestrator);
    }

    /// <summary>The records in start order (then any being removed by a reload), for status output.</summary>
    public IEnumerable<ServiceRecord> Services => orchestrator.Services;

    /// <summary>The plan in force (the latest reload's).</summary>
    public Planning.Plan Plan => orchestrator.Plan;

    public ServiceRecord this[string name] => orchestrator[name];

    /// <summary>Processes reaped that were no service's main process.</summary>
    public int ReapedOrphans => orchestrator.ReapedOrphans;

    public bool ShuttingDown => orchestrator.Shutdown.Begun;

    /// <summary>The exit code Corral will end with, once shutdown has begun.</summary>
    public int? ExitCode => orchestrator.Shutdown.ExitCode;

    /// <summary>What began the shutdown (and so decided the exit code), in words; null before.</summary>
    public string? ExitReason => orchestrator.Shutdown.Why;

    /// <summary>Why a start, stop or restart request is refused as a whole right now (the runtime answers with it), or null.</summary>
    public string? Refusal(ControlVerb verb) => requests.Refusal(verb);

    /// <summary>Why a reload is refused right now, or null.</summary>
    public string? ReloadRefusal => ShuttingDown ? "corral is shutting down" : null;

    public IReadOnlyList<SupervisorEffect> Decide(SupervisorEvent e, TimeSpan now)
    {
        var d = new Decision(now) { Events = EventsFor(orchestrator.Plan), ShuttingDown = ShuttingDown };
        switch (e)
        {
            case Boot b: OnBoot(b, d); break;
            case Spawned s: OnSpawned(s, d); break;
            case ProcessExited x: orchestrator.OnExited(x, d); break;
            case FinishSpawned f: orchestrator.OnFinishSpawned(f, d); break;
            case SignalReceived s: OnSignal(s.Signal, d); break;
            case TimerFired t: OnTimer(t.Key, d); break;
            case NoChildrenLeft: OnNoChildren(d); break;
            case Notified n: readiness.OnNotified(n, d); break;
            case ProbeResult p: readiness.OnProbeResult(p, d); break;
            case Reload r: reloads.OnReload(r.Plan, d); break;
            case ControlRequested c: requests.OnControl(c.Verb, c.Service, d); break;
            case SignalRequested s: requests.OnSignal(s.Service, s.Signal, d); break;
            case ShutdownRequested s:
                orchestrator.Shutdown.Requested(orchestrator, string.IsNullOrWhiteSpace(s.Why) ? "shutdown requested, shutting down" : s.Why, interrupt: false, d);
                break;
        }
        d.Events?.Sweep(orchestrator.Services, d);
        return d.Effects;
    }

    /// <summary>
    /// The PROCESS_STATE and SUPERVISOR_STATE_CHANGE events, when some event listener of the
    /// plan subscribes to any of them; null (and nothing to do) otherwise.
    /// </summary>
    Events.ProcessStateEvents? EventsFor(Planning.Plan plan)
    {
        if (!ReferenceEquals(plan, eventsPlan))
        {
            eventsPlan = plan;
            var subscribed = plan.StartOrder.Where(s => s.Listener is not null).SelectMany(s => s.Listener!.Events).ToList();
            wantedEvents = [.. Events.EventTypes.All.Where(name => Events.EventTypes.AnyMatches(subscribed, name))];
        }
        if (!wantedEvents.Any(n => n.StartsWith("PROCESS_STATE_", StringComparison.Ordinal) || n.StartsWith("SUPERVISOR_STATE_CHANGE_", StringComparison.Ordinal)))
            return null;
        return stateEvents ??= new Events.ProcessStateEvents(n => wantedEvents.Contains(n), () => ShuttingDown);
    }

    void OnBoot(Boot b, Decision d)
    {
        pid1 = b.Pid1;
        var count = orchestrator.All.Count();
        d.Info(null, $"starting {count} service{(count == 1 ? "" : "s")}");
        d.Events?.Running(d);
        if (orchestrator.Plan.Config.MainWaitLimit is { } limit && limit > TimeSpan.Zero) d.Arm(TimerKind.MainWait, "", limit);
        orchestrator.StartWhatCan(d);
    }

    void OnSpawned(Spawned s, Decision d)
    {
        // A service process keeps the reaper awake from now on: the sentinel is not needed.
        if (pid1 && s.Pid > 0) d.Add(new StopSentinel());
        orchestrator.OnSpawned(s, d, readiness);
    }

    /// <summary>
    /// The reaper found no child at all. As PID 1 (not shutting down) a sentinel child keeps it
    /// blocked in waitid, so orphans that enter later (docker exec) are still reaped.
    /// </summary>
    void OnNoChildren(Decision d)
    {
        if (ShuttingDown) orchestrator.Shutdown.NoChildrenLeft(d);
        else if (pid1) d.Add(new StartSentinel());
    }

    void OnSignal(int signal, Decision d)
    {
        if (orchestrator.Plan.Config.SignalsToMain && signal is Signals.SIGTERM or Signals.SIGINT or Signals.SIGQUIT or Signals.SIGHUP && !ShuttingDown
            && Services.FirstOrDefault(r => r.Spec.Main && r.Pid > 0 && r.State == ServiceState.Running) is { } main)
        {
            // S6_CMD_RECEIVE_SIGNALS: the CMD decides; the container ends when it does.
            d.Info(null, $"received {Signals.NameOf(signal)}: passing it to '{main.Name}'");
            d.Add(new SignalService(main.Name, main.Group, signal, main.MainOutsideGroup ? main.Pid : 0));
            return;
        }
        switch (signal)
        {
            case Signals.SIGTERM or Signals.SIGINT or Signals.SIGQUIT:
                orchestrator.Shutdown.Requested(orchestrator, $"received {Signals.NameOf(signal)}, shutting down", interrupt: signal == Signals.SIGINT, d);
                break;
            case Signals.SIGHUP:
                // supervisord's and s6's meaning: read the config again. The runtime reads and
                // compiles it; only a valid one comes back as a Reload.
                if (ReloadRefusal is { } refused) d.Warn(null, $"SIGHUP: reload ignored: {refused}");
                else d.Add(new LoadConfig("SIGHUP"));
                break;
            case Signals.SIGUSR2 when orchestrator.Plan.Config.ReopenLogsOnSigusr2:
                // supervisord's meaning (its configs say so): reopen the log files, not forwarded.
                d.Info(null, "SIGUSR2: reopening the log files");
                d.Add(new ReopenLogs());
                break;
            default:
                // Anything else is meant for the services: every running one gets it.
                foreach (var r in Services.Where(r => r.Pid > 0 && r.State is ServiceState.Running or ServiceState.Stopping).ToList())
                    d.Add(new SignalService(r.Name, r.Group, signal, r.MainOutsideGroup ? r.Pid : 0));
                break;
        }
    }

    /// <summary>S6_CMD_WAIT_FOR_SERVICES_MAXTIME is over: a main service still waiting starts now (Waiting -> Starting), or, fatal, Corral stops with 2.</summary>
    void OnMainWaitOver(Decision d)
    {
        if (ShuttingDown) return;
        var limit = Durations.Format(orchestrator.Plan.Config.MainWaitLimit ?? TimeSpan.Zero);
        foreach (var r in Services.Where(r => r.Spec.Main && r.State == ServiceState.Waiting && r.Goal.Kind == GoalKind.Up).ToList())
        {
            DependencyGate.Of(r, n => orchestrator[n], out var reason);
            if (orchestrator.Plan.Config.MainWaitIsFatal)
            {
                orchestrator.Shutdown.Begin(orchestrator, 2, $"'{r.Name}' could not start within {limit} ({reason}): stopping the container", d);
                return;
            }
            d.Warn(r.Name, $"the services were not all up within {limit} ({reason}): starting it anyway");
            ServiceMachine.Fire(r, ServiceInput.Start, d);
        }
    }

    void OnTimer(TimerKey key, Decision d)
    {
        var shutdown = orchestrator.Shutdown;
        switch (key.Kind)
        {
            case TimerKind.ShutdownDeadline: shutdown.KillEverything(orchestrator, "shutdown timeout reached: killing every process", d); return;
            case TimerKind.SweepDeadline: shutdown.SweepDeadline(d); return;
            case TimerKind.FinalExit: shutdown.Finish(d); return;
            case TimerKind.MainWait: OnMainWaitOver(d); return;
        }
        // A service's timer may outlive the service (removed by a reload): nothing to do then.
        if (!orchestrator.TryGet(key.Service, out var r)) return;
        switch (key.Kind)
        {
            case TimerKind.Restart:
                // Backoff -> Starting (stale in any other state; none while shutting down)
                if (!shutdown.Begun) ServiceMachine.Fire(r, ServiceInput.RestartDue, d);
                break;
            case TimerKind.StopTimeout:
                if (r.State == ServiceState.Stopping && r.Pid > 0)
                    d.Warn(r.Name, $"did not stop within {Durations.Format(r.Spec.Stop.Timeout)}: sending SIGKILL");
                ServiceMachine.Fire(r, ServiceInput.StopTimeout, d);
                break;
            case TimerKind.StartupProbe or TimerKind.ReadinessProbe or TimerKind.LivenessProbe:
                readiness.OnProbeDue(r, ReadinessRules.RoleFor(key.Kind), d);
                break;
            case TimerKind.ReadyTimeout: readiness.OnReadyTimeout(r, d); break;
            case TimerKind.Watchdog: readiness.OnWatchdog(r, d); break;
            case TimerKind.StartSeconds: readiness.OnStartConfirmed(r, d); break;
            case TimerKind.FinishTimeout:
                if (r.State == ServiceState.Finishing)
                    d.Warn(r.Name, $"its {(r.Spec.Type == ServiceType.Oneshot ? "down command" : "finish script")} did not end within {Durations.Format(r.Spec.FinishTimeout)}: sending SIGKILL");
                ServiceMachine.Fire(r, ServiceInput.FinishTimeout, d);
                break;
        }
    }
}
