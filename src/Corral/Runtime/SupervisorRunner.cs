using Corral.Core.Model;
using Corral.Core.Supervision.Services;
using Corral.Os.Logging;
using Errno = Corral.Os.Native.Errno;
using Corral.Os.Pid1;
using Corral.Os.Reaping;
using Corral.Os.Signals;

namespace Corral.Runtime;

/// <summary>
/// Runs <c>corral run</c>: the one event loop that owns the Supervisor. Signals, child exits,
/// timers and control requests arrive as events; the Supervisor decides; the
/// <see cref="SupervisorDriver"/> carries out its effects through the <see cref="RuntimeHost"/>.
/// Reads in the order things happen: become an init, wire signals and the reaper, boot, loop.
/// </summary>
/// <param name="load">Reads and compiles the config again, as it was read at start (a reload).</param>
public sealed class SupervisorRunner(
    Core.Planning.Plan plan, string configPath, Func<(Core.Planning.Plan? Plan, IReadOnlyList<Core.Model.Services.Diagnostic> Diagnostics)> load,
    string runDirectory, LogStyle style)
{
    readonly EventQueue<SupervisorEvent> events = new();
    readonly Queue<SupervisorEvent> due = new();
    readonly TimerQueue<object> timers = new();
    readonly Supervisor supervisor = new(plan);
    readonly Os.MonotonicClock clock = Os.MonotonicClock.System;
    readonly string configDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? "/";
    LogPump? pump;
    LogFiles? files;
    ProbeRunner? probes;
    RuntimeHost? host;
    SupervisorDriver? driver;
    ControlDesk? desk;
    EventListeners? listeners;
    Core.Planning.Plan? listenersPlan;
    string? statusPath;
    bool statusWarned, statusDirty;
    TimeSpan statusWrittenAt = TimeSpan.MinValue / 2;

    /// <summary>The status file (and `ctl wait`) lag the truth by at most this much.</summary>
    static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(50);
    /// <summary>How long an exit waits for the log pump to pass on the exited process's last lines (it takes microseconds unless the machine is starved).</summary>
    static readonly TimeSpan SettleLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>What began the shutdown (and so decided the exit code), in words, once Run has returned.</summary>
    public string? ExitReason => supervisor.ExitReason;

    public int Run()
    {
        InheritedSignals.CaptureAndUnblock(capture: false);
        if (!ProcessIdentity.IsPid1 && ProcessIdentity.RegisterSubreaper() is var errno and not 0)
            style.Say(new Log(LogLevel.Warning, null, $"cannot register as child subreaper ({Errno.Describe(errno)}): orphans will not be reaped"));

        using var intake = new SignalIntake(sig => events.Post(new SignalReceived(sig)));
        if (intake.Register(InitRunner.ForwardedSignals(withoutTerminalStops: false)) is { Count: > 0 } refused)
            style.Say(new Log(LogLevel.Warning, null, $"cannot catch {string.Join(", ", refused.Select(Signals.NameOf))}: they will reach neither Corral nor the services"));
        var reaper = new Reaper(
            (pid, status) => events.Post(new ProcessExited(pid, status)),
            () => events.Post(new NoChildrenLeft()));
        reaper.Start();
        files = new LogFiles((service, message) => style.Say(new Log(LogLevel.Warning, service, message)));
        pump = new LogPump(files);
        style.Writer = pump.Say;
        FitDescriptors(plan);
        pump.Notice = text => style.Line(new Log(LogLevel.Warning, null, text));
        statusPath = PrepareRunDirectory();
        var launcher = new ServiceLauncher(configDirectory, runDirectory, pump, files, style, events.Post);
        probes = new ProbeRunner(() => supervisor.Plan, configDirectory, events.Post, reaper);
        listeners = new EventListeners(style, name => supervisor.Services.Any(r => r.Name == name && r.State == ServiceState.Running && r.IsReady));
        launcher.ListenerStarted = listeners.Started;
        ConfigureListeners();
        host = new RuntimeHost(launcher, probes, reaper, timers, style, why => LoadForReload(why, out _)) { Listeners = listeners };
        driver = new SupervisorDriver(supervisor, host, () => clock.Now);
        desk = ControlDesk.Start(plan.Config.Control, supervisor, driver, runDirectory, configPath, style, events.Post, clock, LoadForReload);

        due.Enqueue(new Boot(ProcessIdentity.IsPid1));
        while (true)
        {
            // Never die (DESIGN.md, PID 1 rule 7): whatever goes wrong with one event is said,
            // and the loop goes on with the next one.
            try
            {
                var code = Step();
                ConfigureListeners();
                if (code is { } exit)
                {
                    Finish();
                    return exit;
                }
                listeners!.Dispatch();
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
        try { desk?.Close(); } catch (Exception) { }
        // In the order the lines flow: the pump gets a moment to pass on the last lines of every
        // service; the log files their last lines (a disk that does not keep up gets a moment,
        // not more); then Corral's outputs, which also carry what the log files had to say
        // (a file that could not be opened).
        try { pump!.DrainPipes(TimeSpan.FromSeconds(1)); } catch (Exception) { }
        try { files!.Drain(TimeSpan.FromSeconds(1)); } catch (Exception) { }
        try { pump!.DrainOutputs(); } catch (Exception) { }
    }

    /// <summary>Takes one event and lets the driver have it decided and carried out; the exit code when it says exit.</summary>
    int? Step()
    {
        var next = NextEvent();
        // Exits of exec probes are the probe runner's, not the supervisor's; the sentinel's are the host's.
        if (next is ProcessExited x && (probes!.OnExited(x.Pid, x.Status, timers) || host!.IsSentinel(x))) return null;
        switch (next)
        {
            case ListenerOutput o:
                listeners!.OnOutput(o);
                return null;
            case ProcessLogged l:
                listeners!.OnLogged(l, supervisor.Plan.StartOrder.FirstOrDefault(s => s.Name == l.Service));
                return null;
            case ProcessExited exited:
                listeners!.OnExited(exited.Pid);
                // Its last lines before whatever its exit leads to (the next service started or stopped).
                if (!pump!.Settle(exited.Pid, SettleLimit))
                    style.Say(new Log(LogLevel.Debug, null, $"pid {exited.Pid}: its last lines were not all passed on within {SettleLimit.TotalMilliseconds:F0} ms; they may come after what its exit leads to"));
                break;
        }
        if (next is Control.ControlRequest request)
        {
            var (code, changed) = desk!.Answer(request);
            statusDirty |= changed;
            return code;
        }
        statusDirty = true;
        return driver!.Feed(next);
    }

    /// <summary>Timers that fell due come first, in order; then the queue, waiting until the next deadline.</summary>
    SupervisorEvent NextEvent()
    {
        while (true)
        {
            if (due.TryDequeue(out var mine)) return mine;
            var now = clock.Now;
            var fired = timers.TakeDue(now);
            if (fired.Count > 0)
            {
                foreach (var key in fired)
                {
                    if (key is TimerKey k) due.Enqueue(new TimerFired(k));
                    else if (key is ProbeTimeout t) probes!.OnTimeout(t);
                    else if (Equals(key, EventListeners.TickDue))
                    {
                        // No event follows a tick: what it brought goes out now, not with the next event.
                        listeners!.OnTick(timers, now);
                        listeners.Dispatch();
                    }
                }
                continue;
            }
            // About to wait: the status file catches up once per burst of events, and at most once
            // per StatusInterval (1,000 services exiting one by one would otherwise rewrite it 1,000 times).
            if (statusDirty && now - statusWrittenAt >= StatusInterval) WriteStatus(now);
            var wake = timers.Next;
            if (statusDirty && (wake is null || statusWrittenAt + StatusInterval < wake)) wake = statusWrittenAt + StatusInterval;
            var timeout = wake is { } at ? at - now : (TimeSpan?)null;
            if (events.TryTake(out var e, timeout)) return e;
        }
    }

    /// <summary>The listener pools of the plan in force, once per plan (at start, and after a reload).</summary>
    void ConfigureListeners()
    {
        if (ReferenceEquals(listenersPlan, supervisor.Plan)) return;
        listenersPlan = supervisor.Plan;
        listeners!.Configure(supervisor.Plan, timers, clock.Now);
    }

    /// <summary>The re-read config as a Reload event, or null (said why) when it does not load.</summary>
    Reload? LoadForReload(string why, out IReadOnlyList<string> errors)
    {
        style.Say(new Log(LogLevel.Info, null, $"{why}: reloading {configPath}"));
        var (next, diagnostics) = load();
        foreach (var d in diagnostics)
            style.Say(new Log(d.Severity == Core.Model.Services.Severity.Error ? LogLevel.Error : LogLevel.Warning, null, d.ToString()));
        errors = [.. diagnostics.Where(d => d.Severity == Core.Model.Services.Severity.Error).Select(d => d.ToString())];
        if (next is null)
        {
            style.Say(new Log(LogLevel.Error, null, "reload failed: the running services are left as they are"));
            return null;
        }
        FitDescriptors(next);
        // The control server keeps the listeners it was started with (they may be what asked for this reload).
        if (next.Config.Control != supervisor.Plan.Config.Control)
            style.Say(new Log(LogLevel.Warning, null, "the control: settings changed; they take effect when Corral is restarted"));
        return new Reload(next);
    }

    /// <summary>
    /// Raises the soft open-file limit to what the plan needs (at most the hard limit), and says
    /// so; warns when even the hard limit is short, before any service fails for it.
    /// </summary>
    void FitDescriptors(Core.Planning.Plan plan)
    {
        var needed = Core.Planning.DescriptorBudget.Needed(plan);
        var (soft, hard) = Os.Files.Descriptors.Limit();
        if (Core.Planning.DescriptorBudget.SoftLimitFor(needed, soft, hard) is { } raised)
        {
            var errno = Os.Files.Descriptors.SetSoftLimit(raised);
            style.Say(errno == 0
                ? new Log(LogLevel.Info, null, $"raised the open-file limit from {soft} to {raised} for {plan.StartOrder.Length} services (the services inherit it)")
                : new Log(LogLevel.Warning, null, $"cannot raise the open-file limit from {soft} to {raised}: {Errno.Describe(errno)}"));
        }
        if (Core.Planning.DescriptorBudget.Shortfall(plan, needed, hard) is { } shortfall) style.Say(new Log(LogLevel.Warning, null, shortfall));
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

    void WriteStatus(TimeSpan now)
    {
        statusDirty = false;
        statusWrittenAt = now;
        desk?.Changed();
        if (statusPath is null) return;
        if (StatusFile.Write(statusPath, desk!.Snap()) is { } error && !statusWarned)
        {
            statusWarned = true;
            style.Say(new Log(LogLevel.Warning, null, error));
        }
    }
}
