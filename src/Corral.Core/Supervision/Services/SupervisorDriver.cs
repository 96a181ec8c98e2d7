using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// What the runtime does for the supervisor. Calls that have an answer return it here, at once;
/// the driver feeds it back before anything else happens.
/// </summary>
public interface ISupervisorHost
{
    /// <summary>Starts the service's process: the pid, or the errno and words; null while it is still under way (it is posted later).</summary>
    Spawned? Spawn(ServiceSpec spec);

    void Signal(SignalService signal);
    void SignalRemaining(int signal);

    /// <summary>Whether Corral has any child now (also wakes the reaper for children it did not spawn).</summary>
    bool HasChildren();

    void RunProbe(RunProbe probe, TimeSpan now);
    void Arm(TimerKey key, TimeSpan deadline);
    void Cancel(TimerKey key);
    void Say(Log log);

    /// <summary>Reads and compiles the config: a Reload, or null when it does not load (said why).</summary>
    Reload? LoadConfig(string why);

    /// <summary>Closes and reopens every log file by its path.</summary>
    void ReopenLogs();

    /// <summary>An event for supervisord's event listeners.</summary>
    void Publish(Events.ListenerEvent e) { }

    void StartSentinel();
    void StopSentinel();

    /// <summary>An event has been decided and its effects carried out (whatever came of it): a spawned process's output may flow now.</summary>
    void Decided(SupervisorEvent e);
}

/// <summary>
/// Overview: the one effect interpreter, shared by the runtime and the simulated-clock tests.
/// It carries out effects in order, and feeds what they answer (a spawn's result, "no children
/// left") back to the supervisor before any other event: a child that exits at once is already
/// known by its pid when its exit is taken. Each effect is on its own: one that fails is said
/// and the others still happen (a lost shutdown timer would be worse than a lost log line), and
/// a spawn is always answered, or its service would stay Starting for good.
/// </summary>
public sealed class SupervisorDriver(Supervisor supervisor, ISupervisorHost host, Func<TimeSpan> clock)
{
    const int EIO = 5;
    readonly Queue<SupervisorEvent> answers = new();

    /// <summary>Every effect, as it is about to be carried out (the tests read what happened from it).</summary>
    public Action<SupervisorEffect>? Observe { get; init; }

    public Supervisor Supervisor => supervisor;

    /// <summary>Decides this event and everything its effects answer; the exit code when one says exit.</summary>
    public int? Feed(SupervisorEvent e)
    {
        answers.Enqueue(e);
        return Drain();
    }

    /// <summary>Carries out effects decided elsewhere (a control request's, after it is answered), then their answers.</summary>
    public int? Carry(IReadOnlyList<SupervisorEffect> effects) => CarryEach(effects) ?? Drain();

    int? Drain()
    {
        while (answers.TryDequeue(out var next))
        {
            int? code;
            // Decided once its effects are out (a spawned process's output flows after "started"
            // has been said), and even when deciding failed (no pipe stays unread).
            try { code = CarryEach(supervisor.Decide(next, clock())); }
            finally { host.Decided(next); }
            if (code is not null) return code;
        }
        return null;
    }

    int? CarryEach(IReadOnlyList<SupervisorEffect> effects)
    {
        foreach (var effect in effects)
        {
            try
            {
                Observe?.Invoke(effect);
                if (CarryOne(effect) is { } code) return code;
            }
            catch (Exception e)
            {
                host.Say(new Log(LogLevel.Error, null, $"internal error carrying out {effect.GetType().Name}: {e.Message}"));
                if (effect is Spawn s && !answers.Any(a => a is Spawned sp && sp.Service == s.Service))
                    answers.Enqueue(new Spawned(s.Service, 0, EIO, $"internal error: {e.Message}"));
                if (effect is SpawnFinish f && !answers.Any(a => a is FinishSpawned fs && fs.Service == f.Service))
                    answers.Enqueue(new FinishSpawned(f.Service, 0, EIO, $"internal error: {e.Message}"));
            }
        }
        return null;
    }

    int? CarryOne(SupervisorEffect effect)
    {
        switch (effect)
        {
            case Spawn s:
                if (host.Spawn(supervisor.Plan.Service(s.Service)) is { } spawned) answers.Enqueue(spawned);
                break;
            case SpawnFinish f:
                // Spawned as the service is (its environment, directory, output), without its readiness channels.
                var finish = supervisor[f.Service].Spec with
                {
                    Command = f.Argv, Shell = false, Ready = null, Watchdog = null,
                    StartupProbe = null, ReadinessProbe = null, LivenessProbe = null,
                };
                if (host.Spawn(finish) is { } done) answers.Enqueue(new FinishSpawned(f.Service, done.Pid, done.Errno, done.Reason));
                break;
            case SignalService s: host.Signal(s); break;
            case SignalRemaining s: host.SignalRemaining(s.Signal); break;
            case CheckChildren:
                if (!host.HasChildren()) answers.Enqueue(new NoChildrenLeft());
                break;
            case RunProbe p: host.RunProbe(p, clock()); break;
            case ArmTimer t: host.Arm(t.Key, t.Deadline); break;
            case CancelTimer t: host.Cancel(t.Key); break;
            case Log l: host.Say(l); break;
            case LoadConfig l:
                if (host.LoadConfig(l.Why) is { } reload) answers.Enqueue(reload);
                break;
            case ReopenLogs: host.ReopenLogs(); break;
            case StartSentinel: host.StartSentinel(); break;
            case StopSentinel: host.StopSentinel(); break;
            case EmitEvent e: host.Publish(e.Event); break;
            case Exit x: return x.Code;
        }
        return null;
    }
}
