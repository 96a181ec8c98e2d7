using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Overview: the supervisor as a pure state machine, <c>Decide(event, now) → effects</c>. It owns
/// every service's record, decides starts (dependency gating), restarts (policy, backoff,
/// max_restarts), failures (on_failure), shutdown order and Corral's exit code. It does no I/O,
/// reads no clock and starts no thread; the runtime feeds it events and carries out effects.
/// Each handler names the transition it makes.
/// </summary>
public sealed partial class Supervisor
{
    Planning.Plan plan;
    readonly Dictionary<string, ServiceRecord> records = new(StringComparer.Ordinal);
    readonly Dictionary<int, ServiceRecord> byPid = [];
    List<SupervisorEffect> effects = [];
    TimeSpan now;
    TimeSpan shutdownRequestedAt = TimeSpan.MaxValue;

    public Supervisor(Planning.Plan plan)
    {
        this.plan = plan;
        foreach (var spec in plan.StartOrder) records[spec.Name] = new ServiceRecord(spec);
    }

    /// <summary>The records in start order (then any being removed by a reload), for status output.</summary>
    public IEnumerable<ServiceRecord> Services =>
        plan.StartOrder.Select(s => records[s.Name]).Concat(records.Values.Where(r => r.Retiring));

    /// <summary>The plan in force (the latest reload's).</summary>
    public Planning.Plan Plan => plan;

    public ServiceRecord this[string name] => records[name];

    /// <summary>Processes reaped that were no service's main process.</summary>
    public int ReapedOrphans { get; private set; }

    public bool ShuttingDown => shutdown is not null;

    public IReadOnlyList<SupervisorEffect> Decide(SupervisorEvent e, TimeSpan now)
    {
        this.now = now;
        effects = [];
        switch (e)
        {
            case Boot: OnBoot(); break;
            case Spawned s: OnSpawned(s); break;
            case ProcessExited x: OnExited(x); break;
            case SignalReceived s: OnSignal(s.Signal); break;
            case TimerFired t: OnTimer(t.Key); break;
            case NoChildrenLeft: OnNoChildren(); break;
            case Notified n: OnNotified(n); break;
            case ProbeResult p: OnProbeResult(p); break;
            case Reload r: OnReload(r.Plan); break;
            case ControlRequested c: OnControl(c.Verb, c.Service); break;
            case SignalRequested s: OnSignalRequested(s.Service, s.Signal); break;
            case ShutdownRequested s: OnShutdownRequested(s.Why); break;
        }
        return effects;
    }

    void OnBoot()
    {
        Info(null, $"starting {records.Count} service{(records.Count == 1 ? "" : "s")}");
        StartWhatCan();
    }

    void OnSignal(int signal)
    {
        switch (signal)
        {
            case Signals.SIGTERM or Signals.SIGINT or Signals.SIGQUIT:
                if (shutdown is null)
                {
                    BeginShutdown(0, $"received {Signals.NameOf(signal)}, shutting down");
                    shutdownRequestedAt = now;
                }
                // A second Ctrl-C means "now". The same INT often arrives twice at once (sent to
                // Corral and to its process group), so only a later one counts.
                else if (signal == Signals.SIGINT && now - shutdownRequestedAt >= TimeSpan.FromMilliseconds(500))
                    KillEverything("second SIGINT: killing every process now");
                break;
            default:
                // Anything else is meant for the services: every running one gets it.
                foreach (var r in Services.Where(r => r.Pid > 0 && r.State is ServiceState.Running or ServiceState.Stopping).ToList())
                    effects.Add(new SignalService(r.Name, r.Group, signal, r.Pid));
                break;
        }
    }

    void OnTimer(TimerKey key)
    {
        // A service's timer may outlive the service (removed by a reload): nothing to do then.
        if (key.Service.Length > 0 && !records.ContainsKey(key.Service)) return;
        switch (key.Kind)
        {
            case TimerKind.Restart: OnRestartDue(records[key.Service]); break;
            case TimerKind.StopTimeout: OnStopTimeout(records[key.Service]); break;
            case TimerKind.ShutdownDeadline: KillEverything("shutdown timeout reached: killing every process"); break;
            case TimerKind.SweepDeadline: OnSweepDeadline(); break;
            case TimerKind.FinalExit: Finish(); break;
            case TimerKind.StartupProbe or TimerKind.ReadinessProbe or TimerKind.LivenessProbe:
                OnProbeDue(records[key.Service], RoleFor(key.Kind));
                break;
            case TimerKind.ReadyTimeout: OnReadyTimeout(records[key.Service]); break;
            case TimerKind.Watchdog: OnWatchdog(records[key.Service]); break;
        }
    }

    void Info(string? service, string message) => effects.Add(new Log(LogLevel.Info, service, message));
    void Warn(string? service, string message) => effects.Add(new Log(LogLevel.Warning, service, message));
    void Error(string? service, string message) => effects.Add(new Log(LogLevel.Error, service, message));
}
