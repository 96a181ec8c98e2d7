using Corral.Core.Model;
using Corral.Core.Supervision.Services;
using Corral.Os.Logging;
using Errno = Corral.Os.Native.Errno;
using Corral.Os.Pid1;
using Corral.Os.Reaping;
using Corral.Os.Signals;

namespace Corral.Runtime;

/// <summary>
/// Runs <c>corral run</c>: the one event loop that owns the Supervisor. Signals, child exits and
/// timers arrive as events; the Supervisor decides; this class carries out its effects through
/// the Os layer. Reads in the order things happen: become an init, wire signals and the reaper,
/// boot, loop.
/// </summary>
public sealed partial class SupervisorRunner(Core.Planning.Plan plan, string configPath, string runDirectory, LogStyle style)
{
    readonly EventQueue<SupervisorEvent> events = new();
    readonly Queue<SupervisorEvent> local = new();
    readonly TimerQueue<object> timers = new();
    readonly Supervisor supervisor = new(plan);
    readonly Os.MonotonicClock clock = Os.MonotonicClock.System;
    readonly string configDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? "/";
    LogPump? pump;
    ServiceLauncher? launcher;
    ProbeRunner? probes;
    Reaper? reaper;
    string? statusPath;

    public int Run()
    {
        InheritedSignals.CaptureAndUnblock(capture: false);
        if (!ProcessIdentity.IsPid1 && ProcessIdentity.RegisterSubreaper() is var errno and not 0)
            style.Say(new Log(LogLevel.Warning, null, $"cannot register as child subreaper ({Errno.Describe(errno)}): orphans will not be reaped"));

        using var intake = new SignalIntake(sig => events.Post(new SignalReceived(sig)));
        if (intake.Register(InitRunner.ForwardedSignals(withoutTerminalStops: false)) is { Count: > 0 } refused)
            style.Say(new Log(LogLevel.Warning, null, $"cannot catch {string.Join(", ", refused.Select(Signals.NameOf))}: they will reach neither Corral nor the services"));
        reaper = new Reaper(
            (pid, status) => events.Post(new ProcessExited(pid, status)),
            () => events.Post(new NoChildrenLeft()));
        reaper.Start();
        pump = new LogPump();
        style.Writer = pump.Say;
        statusPath = PrepareRunDirectory();
        startedAtMonotonic = clock.Now;
        StartControl();
        launcher = new ServiceLauncher(configDirectory, runDirectory, pump, style, events.Post);
        probes = new ProbeRunner(() => supervisor.Plan, configDirectory, events.Post, reaper);

        local.Enqueue(new Boot());
        while (true)
        {
            // Never die (DESIGN.md, PID 1 rule 7): whatever goes wrong with one event is said,
            // and the loop goes on with the next one.
            try
            {
                if (Step() is { } code)
                {
                    Finish();
                    return code;
                }
            }
            catch (Exception e)
            {
                style.Say(new Log(LogLevel.Error, null, $"internal error: {Problems.Internal(e)}"));
            }
        }
    }

    /// <summary>Last words before exit; each step on its own, so that none can keep Corral from exiting with its code.</summary>
    void Finish()
    {
        // Let answers being written reach their callers (ctl shutdown), then close the socket.
        try { control?.Quiesce(TimeSpan.FromSeconds(1)); } catch (Exception) { }
        try { control?.Dispose(); } catch (Exception) { }
        // Give the pump a moment to pass on the last lines of every service.
        try { pump!.Drain(TimeSpan.FromSeconds(1)); } catch (Exception) { }
    }

    /// <summary>Takes one event, lets the supervisor decide, carries out the effects; the exit code when it says exit.</summary>
    int? Step()
    {
        var next = NextEvent();
        // SIGHUP means reload: read and compile the config here; only a valid one reaches the supervisor.
        if (next is SignalReceived { Signal: Signals.SIGHUP })
        {
            if (LoadForReload() is not { } reload) return null;
            next = reload;
        }
        // Exits of exec probes are the probe runner's, not the supervisor's; the sentinel's are ours.
        if (next is ProcessExited x && probes!.OnExited(x.Pid, x.Status, timers)) return null;
        if (next is ProcessExited s && s.Pid == sentinel)
        {
            sentinel = 0;
            return null;
        }
        // The reaper says "no children" as it finds it; a service spawned since makes that stale.
        if (next is NoChildrenLeft && ProcessIdentity.IsPid1 && !supervisor.ShuttingDown && !Reaper.HasChildren()) StartSentinel();
        if (next is Control.ControlRequest request) return Answer(request);
        try
        {
            var effects = supervisor.Decide(next, clock.Now);
            statusDirty = true;
            return Carry(effects);
        }
        // Once "started (pid N)" has been said; and even if deciding failed, so no pipe stays unread.
        finally { if (next is Spawned { Pid: > 0 } spawned) launcher!.Relay(spawned.Pid); }
    }

    /// <summary>
    /// Events the loop made itself (a spawn's result) come first, so a child that exits at once is
    /// already known by its pid when its exit is taken from the queue.
    /// </summary>
    SupervisorEvent NextEvent()
    {
        while (true)
        {
            if (local.TryDequeue(out var mine)) return mine;
            var now = clock.Now;
            var due = timers.TakeDue(now);
            if (due.Count > 0)
            {
                foreach (var key in due)
                {
                    if (key is TimerKey k) local.Enqueue(new TimerFired(k));
                    else if (key is ProbeTimeout t) probes!.OnTimeout(t);
                }
                continue;
            }
            // About to wait: the status file catches up once per burst of events, not per event.
            if (statusDirty) WriteStatus();
            var timeout = timers.Next is { } next ? next - now : (TimeSpan?)null;
            if (events.TryTake(out var e, timeout)) return e;
        }
    }

    /// <summary>
    /// Carries out effects in order; returns the exit code when one says exit. Each effect is
    /// on its own: one that fails is said and the others still happen (a lost shutdown timer
    /// would be worse than a lost log line).
    /// </summary>
    int? Carry(IReadOnlyList<SupervisorEffect> effects)
    {
        foreach (var effect in effects)
        {
            try
            {
                if (CarryOne(effect) is { } code) return code;
            }
            catch (Exception e)
            {
                style.Say(new Log(LogLevel.Error, null, $"internal error carrying out {effect.GetType().Name}: {Problems.Internal(e)}"));
                // A spawn must always be answered, or the service would stay "starting" for good.
                if (effect is Spawn s && !local.Any(l => l is Spawned sp && sp.Service == s.Service))
                    local.Enqueue(new Spawned(s.Service, 0, Os.Native.Errno.EIO));
            }
        }
        return null;
    }

    int? CarryOne(SupervisorEffect effect)
    {
        {
            switch (effect)
            {
                case Spawn s:
                    var (result, error) = launcher!.Launch(supervisor.Plan.Service(s.Service));
                    // Answer first: whatever happens next, the supervisor knows the pid. A failed
                    // start is told by the supervisor, with the launcher's words for it.
                    local.Enqueue(new Spawned(s.Service, result.Pid, result.Errno, result.Succeeded ? null : error));
                    if (result.Succeeded)
                    {
                        reaper!.ChildSpawned();
                        RetireSentinel();
                    }
                    if (result.Succeeded && error is not null) style.Say(new Log(LogLevel.Warning, s.Service, error));
                    break;
                case SignalService s:
                    Kill.Group(s.Pid, s.Signal);
                    if (s.MainPid > 0 && s.MainPid != s.Pid && Kill.GroupOf(s.MainPid) is var g and > 0 && g != s.Pid)
                        Kill.Process(s.MainPid, s.Signal);
                    break;
                case RunProbe p:
                    probes!.Start(p, clock.Now, timers);
                    break;
                case SignalRemaining s:
                    Kill.Remaining(s.Signal);
                    break;
                case CheckChildren:
                    if (!Reaper.HasChildren()) local.Enqueue(new NoChildrenLeft());
                    // Children Corral did not spawn (orphans re-parented to PID 1 while the reaper
                    // slept on "no children") get the reaper back to work.
                    else reaper!.ChildSpawned();
                    break;
                case ArmTimer t:
                    timers.Arm(t.Key, t.Deadline);
                    break;
                case CancelTimer t:
                    timers.Cancel(t.Key);
                    break;
                case Log l:
                    style.Say(l);
                    break;
                case Exit x:
                    return x.Code;
            }
        }
        return null;
    }

    /// <summary>The re-read config as a Reload event, or null (said why) when it does not load.</summary>
    Reload? LoadForReload(string why = "SIGHUP") => LoadForReload(why, out _);

    Reload? LoadForReload(string why, out IReadOnlyList<string> errors)
    {
        style.Say(new Log(LogLevel.Info, null, $"{why}: reloading {configPath}"));
        var (next, diagnostics) = Cli.ConfigFile.Load(configPath);
        foreach (var d in diagnostics)
            style.Say(new Log(d.Severity == Core.Model.Services.Severity.Error ? LogLevel.Error : LogLevel.Warning, null, d.ToString()));
        errors = [.. diagnostics.Where(d => d.Severity == Core.Model.Services.Severity.Error).Select(d => d.ToString())];
        if (next is null)
        {
            style.Say(new Log(LogLevel.Error, null, "reload failed: the running services are left as they are"));
            return null;
        }
        // The control server keeps the listeners it was started with (they may be what asked for this reload).
        if (next.Config.Control != supervisor.Plan.Config.Control)
            style.Say(new Log(LogLevel.Warning, null, "the control: settings changed; they take effect when Corral is restarted"));
        return new Reload(next);
    }

    /// <summary>Creates the run directory (sockets, status file); null when it cannot, said once.</summary>
    string? PrepareRunDirectory()
    {
        try
        {
            // Made private (0700) when Corral creates it: it holds the control socket.
            if (!Directory.Exists(runDirectory))
                Directory.CreateDirectory(runDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return StatusFile.PathIn(runDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            style.Say(new Log(LogLevel.Warning, null, $"cannot create the run directory {runDirectory} ({Problems.Describe(e)}): no status file, so corral healthcheck will not work; {Problems.WritableRunDirectoryAdvice}"));
            return null;
        }
    }

    bool statusWarned, statusDirty;
    int sentinel;

    /// <summary>
    /// A service process keeps the reaper awake from now on: the sentinel goes (its exit is
    /// reaped like any other), so it exists only while no service process is alive.
    /// </summary>
    void RetireSentinel()
    {
        if (sentinel != 0) Kill.Process(sentinel, Signals.SIGKILL);
    }

    /// <summary>See <c>corral sentinel</c>: as PID 1 with no child left, keep one so the reaper stays awake.</summary>
    void StartSentinel()
    {
        if (sentinel != 0) return;
        var spawned = Os.Spawning.Spawner.Spawn(new Os.Spawning.SpawnRequest([Environment.ProcessPath ?? "/proc/self/exe", "sentinel"]));
        if (!spawned.Succeeded) return;
        sentinel = spawned.Pid;
        reaper!.ChildSpawned();
    }

    void WriteStatus()
    {
        statusDirty = false;
        control?.Changed();
        if (statusPath is null) return;
        if (StatusFile.Write(statusPath, Snap()) is { } error && !statusWarned)
        {
            statusWarned = true;
            style.Say(new Log(LogLevel.Warning, null, error));
        }
    }
}
