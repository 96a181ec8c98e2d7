using System.Collections.Immutable;
using Corral.Control;
using Corral.Core.Compat.Supervisord;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using Corral.Os.Pid1;

namespace Corral.Runtime;

/// <summary>
/// Control requests on the loop thread: each is answered from the supervisor's state at that
/// moment, or turned into supervisor events whose effects the driver carries out like any
/// others, after the answer. A request that fails (an unknown name, a broken config) is
/// answered with its error and changes nothing. Also owns the (sleeping) control server.
/// </summary>
public sealed class ControlDesk
{
    readonly Supervisor supervisor;
    readonly SupervisorDriver driver;
    readonly string configPath;
    readonly Os.MonotonicClock clock;
    readonly ReloadLoader load;
    readonly ControlServer? server;
    readonly DateTime startedAt = Os.WallClock.Now;
    readonly TimeSpan startedAtMonotonic;

    public delegate Reload? ReloadLoader(string why, out IReadOnlyList<string> errors);

    ControlDesk(Supervisor supervisor, SupervisorDriver driver, string configPath, Os.MonotonicClock clock, ReloadLoader load, ControlServer? server)
    {
        this.supervisor = supervisor;
        this.driver = driver;
        this.configPath = configPath;
        this.clock = clock;
        this.load = load;
        this.server = server;
        startedAtMonotonic = clock.Now;
    }

    /// <summary>The recent-lines buffer and the (sleeping) control server, unless the config turns it off.</summary>
    public static ControlDesk Start(
        ControlSpec spec, Supervisor supervisor, SupervisorDriver driver, string runDirectory, string configPath, LogStyle style,
        Action<SupervisorEvent> post, Os.MonotonicClock clock, ReloadLoader load)
    {
        ControlServer? server = null;
        if (spec.Enabled || spec.Tcp is not null)
        {
            var ring = new LogRing();
            style.Ring = ring;
            var api = new ControlApi(post, ring, spec.Tcp);
            server = ControlServer.Start(spec, ControlSocket.PathIn(runDirectory), api, style.Say);
            if (server?.SocketPath is { } path) style.Say(new Log(LogLevel.Debug, null, $"control socket: {path}"));
        }
        return new ControlDesk(supervisor, driver, configPath, clock, load, server);
    }

    /// <summary>The status changed: whoever waits for a change (ctl wait) hears of it.</summary>
    public void Changed() => server?.Changed();

    /// <summary>Lets answers being written reach their callers (ctl shutdown), then closes the socket.</summary>
    public void Close()
    {
        try { server?.Quiesce(TimeSpan.FromSeconds(1)); } catch (Exception) { }
        server?.Dispose();
    }

    /// <summary>Answers one request, then carries out what it set in motion: (the exit code when that ends Corral, whether anything may have changed).</summary>
    public (int? ExitCode, bool Changed) Answer(ControlRequest request)
    {
        ControlReply reply;
        IReadOnlyList<SupervisorEffect> effects = [];
        try
        {
            (reply, effects) = request switch
            {
                StatusRequest => (new ControlReply(200, Snap()), []),
                ServiceCommand c => Command(c),
                SignalCommand s => Signal(s),
                ReloadCommand => ReloadNow(),
                ScaleCommand c => Scale(c),
                ReopenLogsCommand => (new ControlReply(200, Messages: ReopenNotes()), [new ReopenLogs()]),
                ShutdownCommand => Decided(202, new ShutdownRequested("shutdown requested through the control socket")),
                PlanRequest => (new ControlReply(200, Plan: supervisor.Plan), []),
                RereadCommand => Reread(),
                GroupCommand g => ApplyGroup(g),
                _ => (new ControlReply(400, Error: "unknown request"), []),
            };
        }
        catch (Exception e)
        {
            reply = new ControlReply(500, Error: $"internal error: {Os.Logging.Problems.Internal(e)}");
        }
        // Answer first: the effects may end Corral, and the caller should hear what it asked for.
        var said = effects.OfType<Log>().Where(l => l.Level <= LogLevel.Info)
            .Select(l => l.Service is null ? l.Message : $"{l.Service}: {l.Message}").ToImmutableArray();
        try
        {
            var messages = reply.Said.AddRange(said);
            reply = reply.Snapshot is null && reply.Status < 300 ? reply with { Snapshot = Snap(), Messages = messages } : reply with { Messages = messages };
        }
        catch (Exception e)
        {
            reply = new ControlReply(500, Error: $"internal error: {Os.Logging.Problems.Internal(e)}");
        }
        request.Reply.TrySetResult(reply);
        // A query changes nothing: the status file (and whoever waits for a change) is left alone.
        return (driver.Carry(effects), request is not StatusRequest);
    }

    (ControlReply, IReadOnlyList<SupervisorEffect>) Command(ServiceCommand c)
    {
        if (Resolve(c.Names) is not { } names) return (UnknownNames(c.Names), []);
        if (supervisor.Refusal(c.Verb) is { } refused) return (new ControlReply(409, Error: refused), []);
        return (new ControlReply(200), DecideEach(names, name => new ControlRequested(c.Verb, name)));
    }

    (ControlReply, IReadOnlyList<SupervisorEffect>) Signal(SignalCommand s)
    {
        if (Resolve(s.Names) is not { } names) return (UnknownNames(s.Names), []);
        var running = names.Where(n => supervisor[n].Pid > 0).ToList();
        if (running.Count == 0) return (new ControlReply(409, Error: $"not running: {string.Join(", ", names)}"), []);
        return (new ControlReply(200), DecideEach(running, name => new SignalRequested(name, s.Signal)));
    }

    /// <summary>
    /// One decision per service; each name's effects are kept as soon as they are decided, so a
    /// failure on a later name does not lose what the earlier ones set in motion.
    /// </summary>
    List<SupervisorEffect> DecideEach(IEnumerable<string> names, Func<string, SupervisorEvent> request)
    {
        var all = new List<SupervisorEffect>();
        foreach (var name in names)
        {
            try { all.AddRange(supervisor.Decide(request(name), clock.Now)); }
            catch (Exception e) { all.Add(new Log(LogLevel.Error, name, $"internal error: {Os.Logging.Problems.Internal(e)}")); }
        }
        return all;
    }

    (ControlReply, IReadOnlyList<SupervisorEffect>) ReloadNow()
    {
        if (supervisor.ReloadRefusal is { } refused) return (new ControlReply(409, Error: refused), []);
        if (load("control socket", out var errors) is not { } reload)
            return (new ControlReply(422, Error: "the config has errors; the running services are left as they are", Messages: [.. errors]), []);
        return Decided(200, reload);
    }

    /// <summary>
    /// The declared config with the new count, compiled and applied as a reload: copies keep
    /// their names, so only the ones added or removed start or stop. The next reload from the
    /// file takes the file's count again.
    /// </summary>
    (ControlReply, IReadOnlyList<SupervisorEffect>) Scale(ScaleCommand c)
    {
        if (supervisor.ReloadRefusal is { } refused) return (new ControlReply(409, Error: refused), []);
        var declared = supervisor.Plan.Declared;
        if (declared.Services.FirstOrDefault(s => s.Name == c.Service) is not { } service)
            return (new ControlReply(404, Error: $"no service '{c.Service}' declared in the config"), []);
        if (service.Replicas is null)
            return (new ControlReply(409, Error: $"'{c.Service}' has no replicas: declare 'replicas: N' in the config to scale it"), []);
        var (plan, diagnostics) = Core.Planning.PlanCompiler.Compile(Core.Planning.Replicas.Scale(declared, c.Service, c.Replicas)!);
        if (plan is null)
            return (new ControlReply(422, Error: $"cannot scale '{c.Service}' to {c.Replicas}", Messages: [.. diagnostics.Select(d => d.ToString())]), []);
        return Decided(200, new Reload(plan));
    }

    /// <summary>
    /// What a reopen does: each file Corral writes is reopened; a file that is the process's
    /// own descriptor (no max_bytes, no copy to Corral's output) cannot be, and is named.
    /// </summary>
    ImmutableArray<string> ReopenNotes()
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        var written = 0;
        foreach (var spec in supervisor.Plan.StartOrder)
        {
            foreach (var (stream, target) in new[] { ("stdout", spec.Logs.Stdout), ("stderr", spec.Logs.Stderr) })
            {
                if (target.Kind != LogTargetKind.File) continue;
                if (target.MaxBytes > 0 || target.AlsoInherit) written++;
                else notes.Add($"{spec.Name}: {stream} goes straight to {target.Path} (the process's own file: restart {spec.Name} to reopen it, or give it max_bytes)");
            }
        }
        notes.Insert(0, $"reopening {written} log file{(written == 1 ? "" : "s")}");
        return notes.ToImmutable();
    }

    /// <summary>The config the last reread found, which addProcessGroup applies a group of.</summary>
    SupervisorConfig? reread;

    (ControlReply, IReadOnlyList<SupervisorEffect>) Reread()
    {
        if (supervisor.ReloadRefusal is { } refused) return (new ControlReply(409, Error: refused, Fault: Faults.ShutdownState), []);
        if (load("supervisorctl reread", out var errors) is not { } reload)
            return (new ControlReply(422, Error: "the config has errors", Messages: [.. errors], Fault: Faults.CantReread), []);
        reread = reload.Plan.Declared;
        return (new ControlReply(200, Changes: GroupChanges.Between(supervisor.Plan.Declared, reread)), []);
    }

    /// <summary>
    /// supervisord's addProcessGroup / removeProcessGroup: a reload to the running config with
    /// one group put in (as the last reread has it; the file is read now if none did) or taken
    /// out (only when none of its processes runs).
    /// </summary>
    (ControlReply, IReadOnlyList<SupervisorEffect>) ApplyGroup(GroupCommand g)
    {
        if (supervisor.ReloadRefusal is { } refused) return (new ControlReply(409, Error: refused, Fault: Faults.ShutdownState), []);
        var running = supervisor.Plan.Declared;
        SupervisorConfig next;
        if (g.Add)
        {
            if (GroupChanges.Has(running, g.Group)) return (new ControlReply(409, Error: $"already added: {g.Group}", Fault: Faults.AlreadyAdded), []);
            if (reread is null || !GroupChanges.Has(reread, g.Group))
                reread = load("supervisorctl add", out _)?.Plan.Declared ?? reread;
            if (reread is null || !GroupChanges.Has(reread, g.Group)) return (new ControlReply(404, Error: $"no such group: {g.Group}", Fault: Faults.BadName), []);
            next = GroupChanges.WithGroup(running, reread, g.Group);
        }
        else
        {
            var members = supervisor.Services.Where(r => GroupChanges.GroupOf(r.Spec) == g.Group).ToList();
            if (members.Count == 0) return (new ControlReply(404, Error: $"no such group: {g.Group}", Fault: Faults.BadName), []);
            if (members.Any(r => r.Pid > 0)) return (new ControlReply(409, Error: $"still running: {g.Group}", Fault: Faults.StillRunning), []);
            next = GroupChanges.WithoutGroup(running, g.Group);
        }
        var (plan, diagnostics) = Core.Planning.PlanCompiler.Compile(next);
        if (plan is null)
            return (new ControlReply(422, Error: $"the config without or with {g.Group} has errors", Messages: [.. diagnostics.Select(d => d.ToString())], Fault: Faults.Failed), []);
        return Decided(200, new Reload(plan));
    }

    (ControlReply, IReadOnlyList<SupervisorEffect>) Decided(int status, SupervisorEvent e) =>
        (new ControlReply(status), supervisor.Decide(e, clock.Now));

    /// <summary>
    /// The services asked for: service names, group names (also as supervisorctl writes them,
    /// "web:*" or "web:"), or "all"; null when a name is neither a service nor a group.
    /// </summary>
    List<string>? Resolve(ImmutableArray<string> asked)
    {
        var records = supervisor.Services.DistinctBy(r => r.Name).ToList();
        var picked = new List<string>();
        foreach (var name in asked)
        {
            var matches = records.Where(r => ServiceNames.Matches(name, r.Name, r.Spec.MemberOf)).Select(r => r.Name).ToList();
            if (matches.Count == 0) return null;
            picked.AddRange(matches.Where(m => !picked.Contains(m)));
        }
        return picked;
    }

    ControlReply UnknownNames(ImmutableArray<string> asked)
    {
        var records = supervisor.Services.ToList();
        var known = records.Select(r => r.Name).Concat(records.SelectMany(r => r.Spec.MemberOf)).Distinct().ToList();
        var unknown = asked.Where(n => n != ServiceNames.All && !known.Contains(ServiceNames.GroupOf(n))).ToList();
        var hint = unknown.Count == 1 && EditDistance.Closest(unknown[0], known) is { } s ? $"; did you mean '{s}'?" : "";
        return new ControlReply(404, Error: $"no such service or group: {string.Join(", ", unknown)}{hint}");
    }

    /// <summary>The status now, as status.json and the API show it.</summary>
    public SupervisorStatus Snap() =>
        Core.Supervision.Status.StatusFactory.Of(supervisor, clock.Now, startedAt, startedAtMonotonic, ProcessIdentity.Pid, Core.Product.Version, configPath);
}
