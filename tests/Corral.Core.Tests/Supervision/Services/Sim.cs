using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Planning;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Tests.Supervision.Services;

/// <summary>
/// Drives a Supervisor on a simulated clock, playing the runtime through the same
/// <see cref="SupervisorDriver"/> the runtime uses: every Spawn gets a pid at once, timers fire
/// when the clock passes them. Tests read what happened from the effects.
/// </summary>
public sealed class Sim : ISupervisorHost
{
    public Supervisor Supervisor { get; }
    public TimeSpan Now { get; private set; }
    public List<SupervisorEffect> Effects { get; } = [];
    public Dictionary<string, int> Pids { get; } = [];
    public List<(TimeSpan At, string Service)> Spawns { get; } = [];
    public int? ExitCode { get; private set; }
    readonly SupervisorDriver driver;
    readonly Dictionary<TimerKey, TimeSpan> timers = [];
    readonly HashSet<string> failSpawn = [];
    readonly HashSet<string> holdSpawn = [];
    int nextPid = 100;

    public Sim(params ServiceSpec[] services) : this(new SupervisorConfig { Services = [.. services] }) { }

    public Sim(SupervisorConfig config)
    {
        var (plan, diagnostics) = PlanCompiler.Compile(config);
        Assert.True(plan is not null, string.Join("\n", diagnostics));
        Supervisor = new Supervisor(plan!);
        driver = new SupervisorDriver(Supervisor, this, () => Now) { Observe = Effects.Add };
    }

    public static ServiceSpec Longrun(string name, params string[] after) => new()
    {
        Name = name,
        Command = ["run-" + name],
        DependsOn = [.. after.Select(a => new Dependency(a, DependencyCondition.Started, SourceLocation.None))],
    };

    public static ServiceSpec Oneshot(string name) => new() { Name = name, Command = ["run-" + name], Type = ServiceType.Oneshot };

    public static ImmutableArray<Dependency> After(string name, DependencyCondition condition) =>
        [new Dependency(name, condition, SourceLocation.None)];

    public void FailSpawnOf(string service) => failSpawn.Add(service);

    /// <summary>Spawns of this service stay under way (no Spawned event) until <see cref="CompleteSpawn"/>.</summary>
    public void HoldSpawnOf(string service) => holdSpawn.Add(service);

    /// <summary>The held spawn of this service finishes now, with a new pid.</summary>
    public Sim CompleteSpawn(string service)
    {
        holdSpawn.Remove(service);
        var pid = nextPid++;
        Pids[service] = pid;
        return Feed(new Spawned(service, pid, 0));
    }

    public Sim Boot() => Feed(new Boot());

    public Sim Feed(SupervisorEvent e)
    {
        if (driver.Feed(e) is { } code) ExitCode = code;
        // Every scenario of every test doubles as a check that the supervisor never asks its
        // service machines for a move their table refuses.
        var refused = Effects.OfType<Log>().FirstOrDefault(l => l.Level == LogLevel.Error && l.Message.StartsWith("internal error", StringComparison.Ordinal));
        Assert.True(refused is null, $"{refused?.Service}: {refused?.Message}");
        return this;
    }

    Spawned? ISupervisorHost.Spawn(ServiceSpec spec)
    {
        Spawns.Add((Now, spec.Name));
        if (holdSpawn.Contains(spec.Name)) return null;
        if (failSpawn.Contains(spec.Name)) return new Spawned(spec.Name, 0, 2);
        var pid = nextPid++;
        Pids[spec.Name] = pid;
        return new Spawned(spec.Name, pid, 0);
    }

    void ISupervisorHost.Signal(SignalService signal) { }
    void ISupervisorHost.SignalRemaining(int signal) { }

    /// <summary>Leftover processes are the tests' to end: they feed NoChildrenLeft themselves.</summary>
    bool ISupervisorHost.HasChildren() => true;

    void ISupervisorHost.RunProbe(RunProbe probe, TimeSpan now) { }
    void ISupervisorHost.Arm(TimerKey key, TimeSpan deadline) => timers[key] = deadline;
    void ISupervisorHost.Cancel(TimerKey key) => timers.Remove(key);
    void ISupervisorHost.Say(Log log) { }
    Reload? ISupervisorHost.LoadConfig(string why) => null;
    void ISupervisorHost.ReopenLogs() { }
    void ISupervisorHost.StartSentinel() { }
    void ISupervisorHost.StopSentinel() { }
    void ISupervisorHost.Decided(SupervisorEvent e) { }

    /// <summary>The service's current process exits.</summary>
    public Sim Exit(string service, int code) => Feed(new ProcessExited(Pids[service], ExitStatus.Exited(code)));

    public Sim Kill(string service, int signal) => Feed(new ProcessExited(Pids[service], ExitStatus.Signaled(signal)));

    public Sim Signal(int signal) => Feed(new SignalReceived(signal));

    /// <summary>Moves the clock, firing every timer that falls due on the way, in order.</summary>
    public Sim Advance(TimeSpan by)
    {
        var until = Now + by;
        while (timers.Count > 0 && timers.Values.Min() <= until)
        {
            var (key, at) = timers.OrderBy(t => t.Value).First();
            timers.Remove(key);
            Now = at;
            Feed(new TimerFired(key));
        }
        Now = until;
        return this;
    }

    public bool TimerArmed(TimerKind kind, string service = "") => timers.ContainsKey(new TimerKey(kind, service));

    public ServiceState State(string service) => Supervisor[service].State;

    public IEnumerable<SignalService> SignalsTo(string service) => Effects.OfType<SignalService>().Where(s => s.Service == service);

    public int SpawnCount(string service) => Spawns.Count(s => s.Service == service);

    /// <summary>Index of the first SignalService of this signal to this service in the effect log.</summary>
    public int FirstSignalIndex(string service, int signal) =>
        Effects.FindIndex(e => e is SignalService s && s.Service == service && s.Signal == signal);
}
