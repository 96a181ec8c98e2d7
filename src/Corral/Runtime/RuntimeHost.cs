using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Os.Logging;
using Corral.Os.Pid1;
using Corral.Os.Reaping;
using Corral.Os.Signals;

namespace Corral.Runtime;

/// <summary>
/// The runtime's side of <see cref="ISupervisorHost"/>: each effect carried out through the Os
/// layer, nothing decided here. The sentinel (see docs/design/supervisor.md) is started and
/// ended here when the supervisor asks, and its own exit never reaches the supervisor.
/// </summary>
public sealed class RuntimeHost(
    ServiceLauncher launcher, ProbeRunner probes, Reaper reaper, TimerQueue<object> timers, LogStyle style,
    Func<string, Reload?> loadConfig) : ISupervisorHost
{
    int sentinel;

    /// <summary>The live processes Corral spawned (services, finish scripts, the sentinel): never taken for a stray.</summary>
    readonly HashSet<int> spawned = [];

    (string Service, int Group, List<int> Pids)? lastStrays;

    /// <summary>supervisord's event listeners, when the plan has any.</summary>
    public EventListeners? Listeners { get; init; }

    public void Publish(Core.Supervision.Events.ListenerEvent e) => Listeners?.Publish(e);

    public Spawned? Spawn(ServiceSpec spec)
    {
        var (result, error) = launcher.Launch(spec);
        if (result.Succeeded)
        {
            spawned.Add(result.Pid);
            reaper.ChildSpawned();
            if (error is not null) style.Say(new Log(LogLevel.Warning, spec.Name, error));
        }
        // A failed start is told by the supervisor, with the launcher's words for it.
        return new Spawned(spec.Name, result.Pid, result.Errno, result.Succeeded ? null : error);
    }

    public void Signal(SignalService s)
    {
        Kill.Group(s.Pid, s.Signal);
        if (s.MainPid > 0) Kill.Process(s.MainPid, s.Signal);
        if (!s.Strays) return;
        // A stop signal is followed at once by SIGCONT to the same processes: one /proc walk for both.
        var strays = s.Signal == Signals.SIGCONT && lastStrays is { } last && last.Service == s.Service && last.Group == s.Pid
            ? last.Pids
            : Strays.Of(s.Service, s.Pid, spawned);
        lastStrays = s.Signal == Signals.SIGCONT ? null : (s.Service, s.Pid, strays);
        foreach (var pid in strays) Kill.Process(pid, s.Signal);
    }

    public void SignalRemaining(int signal) => Kill.Remaining(signal);

    public bool HasChildren()
    {
        if (!Reaper.HasChildren()) return false;
        // Children Corral did not spawn (orphans re-parented to PID 1 while the reaper slept on
        // "no children") get the reaper back to work.
        reaper.ChildSpawned();
        return true;
    }

    public void RunProbe(RunProbe probe, TimeSpan now) => probes.Start(probe, now, timers);
    public void Arm(TimerKey key, TimeSpan deadline) => timers.Arm(key, deadline);
    public void Cancel(TimerKey key) => timers.Cancel(key);
    public void Say(Log log) => style.Say(log);
    public Reload? LoadConfig(string why) => loadConfig(why);
    public void ReopenLogs() => launcher.ReopenLogs();

    /// <summary>The "no children" that asked for it may be stale: a child spawned since keeps the reaper awake already.</summary>
    public void StartSentinel()
    {
        if (sentinel != 0 || Reaper.HasChildren()) return;
        var started = Os.Spawning.Spawner.Spawn(new Os.Spawning.SpawnRequest([Environment.ProcessPath ?? "/proc/self/exe", "sentinel"]));
        if (!started.Succeeded) return;
        sentinel = started.Pid;
        spawned.Add(sentinel);
        reaper.ChildSpawned();
    }

    /// <summary>Its exit is reaped like any other, and <see cref="IsSentinel"/> keeps it from the supervisor.</summary>
    public void StopSentinel()
    {
        if (sentinel != 0) Kill.Process(sentinel, Signals.SIGKILL);
    }

    /// <summary>Whether this exit is the sentinel's (then it is forgotten).</summary>
    public bool IsSentinel(ProcessExited x)
    {
        if (sentinel == 0 || x.Pid != sentinel) return false;
        spawned.Remove(sentinel);
        sentinel = 0;
        return true;
    }

    /// <summary>Once "started (pid N)" has been said, and even if deciding failed, so no pipe stays unread.</summary>
    public void Decided(SupervisorEvent e)
    {
        if (e is ProcessExited exited) spawned.Remove(exited.Pid);
        if (e is Spawned { Pid: > 0 } started) launcher.Relay(started.Pid);
        if (e is FinishSpawned { Pid: > 0 } finish) launcher.Relay(finish.Pid);
    }
}
