using System.Collections.Immutable;
using System.Globalization;
using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Config.S6;

/// <summary>
/// One service definition directory of an s6-rc source tree (<c>/etc/s6-overlay/s6-rc.d/NAME/</c>):
/// its path and its files by relative path (<c>type</c>, <c>run</c>, <c>dependencies.d/base</c> …).
/// The executable reads the tree; the reader only sees this.
/// </summary>
public sealed record S6Definition(string Name, string Directory, IReadOnlyDictionary<string, string> Files);

/// <summary>
/// Overview: an s6-overlay v3 service tree read into Corral's model, as s6-rc compiles it:
/// - <c>type</c>: longrun (its <c>run</c> script, run in its directory and restarted as
///   s6-supervise does), oneshot (its <c>up</c> command line), or bundle (<c>contents.d/</c>).
/// - <c>dependencies.d/X</c>: started after X; on a longrun with <c>notification-fd</c> once it is
///   ready, on a oneshot once it has succeeded; a bundle stands for all of its members.
/// - <c>notification-fd</c>: readiness (a newline on that fd), <c>down-signal</c>, <c>timeout-kill</c>
///   (ms, the grace before SIGKILL), <c>timeout-up</c> (ms, a longrun's time to be ready).
/// - what starts: the <c>user</c> and <c>user2</c> bundles and what they need (as s6-overlay
///   brings up "user"); other definitions exist but wait for a start request. s6-overlay's own
///   names (base, fix-attrs, legacy-cont-init, legacy-services) may be depended on without
///   being defined.
/// - <c>finish</c> (longrun): run after each exit with the exit code (256 when killed) and the
///   signal, within <c>timeout-finish</c> (ms, default 5000, 0 none); 125 keeps it down.
/// - <c>down</c> (oneshot): its command line run when it is brought down (at shutdown, after
///   its dependents), within <c>timeout-down</c> (ms, default none). A longrun's timeout-down
///   is its stop grace when it has no timeout-kill.
/// - <c>log/run</c>, <c>producer-for</c>, <c>consumer-for</c>, <c>pipeline-name</c>: pipelines (<see cref="S6Pipelines"/>).
/// Files Corral does not act on are warnings with their path, never dropped silently. Pure.
/// </summary>
public static class S6RcReader
{
    static readonly string[] OverlayNames = ["base", "fix-attrs", "legacy-cont-init", "legacy-services"];
    static readonly string[] Known = ["type", "run", "up", "down", "finish", "notification-fd", "timeout-up", "timeout-down", "timeout-kill", "timeout-finish", "down-signal", "flag-essential", "producer-for", "consumer-for", "pipeline-name", "max-death-tally"];

    /// <summary>With s6-overlay's legacy directories, its default S6_* settings and no CMD.</summary>
    public static (SupervisorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Read(
        IReadOnlyList<S6Definition> definitions, string source, IReadOnlyList<string> contInit, IReadOnlyList<S6Definition> legacyServices, IReadOnlyList<string> contFinish) =>
        Read(definitions, source, contInit, legacyServices, contFinish, S6Options.Default, []);

    /// <summary>
    /// With s6-overlay's legacy directories: <c>/etc/cont-init.d/*</c> scripts (run one after the
    /// other in name order, before every service; a failure stops the container only with
    /// S6_BEHAVIOUR_IF_STAGE2_FAILS=2), <c>/etc/services.d/NAME/</c> longruns (started after the
    /// s6-rc services of the user bundles, after the cont-init scripts; <c>finish</c> as for
    /// s6-rc longruns) and <c>/etc/cont-finish.d/*</c> (run in name order at shutdown once every
    /// service is down, each within S6_KILL_FINISH_MAXTIME). cmd: the image's CMD (with
    /// S6_CMD_ARG0 before it), run once everything is up, its end the container's end.
    /// </summary>
    public static (SupervisorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Read(
        IReadOnlyList<S6Definition> definitions, string source, IReadOnlyList<string> contInit, IReadOnlyList<S6Definition> legacyServices, IReadOnlyList<string> contFinish,
        S6Options options, ImmutableArray<string> cmd)
    {
        var (config, diagnostics) = Read(definitions, source, options);
        if (config is null) return (null, diagnostics);
        var all = diagnostics.ToBuilder();
        var services = config.Services.ToList();
        var taken = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        string? previous = null;
        foreach (var script in contInit.Order(StringComparer.Ordinal))
        {
            var name = Unique($"cont-init.{System.IO.Path.GetFileName(script)}", taken);
            services.Add(new ServiceSpec
            {
                Name = name,
                Command = [script],
                Type = ServiceType.Oneshot,
                MemberOf = ["cont-init"],
                OnFailure = options.BehaviourIfStage2Fails >= 2 ? FailureAction.Shutdown : FailureAction.Ignore,
                DependsOn = previous is null ? [] : [new Dependency(previous, DependencyCondition.Completed, new SourceLocation(script, 1))],
                Where = new SourceLocation(script, 1),
            });
            previous = name;
        }
        // After the user bundles' services (started, or completed for oneshots), as s6-overlay's legacy-services.
        var user = config.Services.Where(s => s.AutoStart && s.MemberOf.Any(g => g is "user" or "user2")).ToList();
        foreach (var d in legacyServices.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (!d.Files.ContainsKey("run"))
            {
                all.Add(Error(d, "run", "missing: a services.d service needs a run script"));
                continue;
            }
            // "Up" as s6-rc means it: a longrun is up once ready (at once without notification-fd).
            List<Dependency> after = [.. user.Select(u => new Dependency(u.Name, u.Type == ServiceType.Oneshot ? DependencyCondition.Completed : DependencyCondition.Ready, new SourceLocation(Path(d, "run"), 1)))];
            if (previous is not null) after.Add(new Dependency(previous, DependencyCondition.Completed, new SourceLocation(Path(d, "run"), 1)));
            var legacy = new ServiceSpec
            {
                Name = Unique(d.Name, taken),
                Command = [Path(d, "run")],
                WorkingDir = d.Directory,
                Restart = RestartPolicy.Always,
                MemberOf = ["services.d"],
                DependsOn = [.. after],
                Ready = Number(d, "notification-fd", all, 3, 1023) is { } fd ? new ReadySpec(ReadinessKind.NotifyFd, fd) : null,
                Stop = StopFor(d, all, options),
                FinishCommand = d.Files.ContainsKey("finish") ? [Path(d, "finish")] : [],
                FinishTimeout = FinishTimeout(d, all),
                Where = new SourceLocation(Path(d, "run"), 1),
            };
            services.AddRange(WithLogger(legacy, d, taken, all));
        }
        // Every s6-rc service waits for the cont-init scripts, as s6-overlay's base does.
        if (previous is not null)
            services = [.. services.Select(s => s.MemberOf.Contains("cont-init") || s.MemberOf.Contains("services.d") ? s
                : s with { DependsOn = [.. s.DependsOn, new Dependency(previous, DependencyCondition.Completed, s.Where)] })];
        // cont-finish.d: oneshots with nothing to run up and the script as their down, which
        // every other service depends on: they are brought down last, the first name first.
        var finishers = new List<ServiceSpec>();
        foreach (var script in contFinish.Order(StringComparer.Ordinal).Reverse())
        {
            var name = Unique($"cont-finish.{System.IO.Path.GetFileName(script)}", taken);
            finishers.Insert(0, new ServiceSpec
            {
                Name = name,
                Command = [],
                Type = ServiceType.Oneshot,
                MemberOf = ["cont-finish"],
                DownCommand = [script],
                FinishTimeout = TimeSpan.FromMilliseconds(options.KillFinishMaxTime),
                DependsOn = finishers.Count == 0 ? [] : [new Dependency(finishers[0].Name, DependencyCondition.Completed, new SourceLocation(script, 1))],
                Where = new SourceLocation(script, 1),
            });
        }
        if (finishers.Count > 0)
            services = [.. services.Select(s => s with { DependsOn = [.. s.DependsOn, new Dependency(finishers[0].Name, DependencyCondition.Completed, s.Where)] })];
        if (!cmd.IsDefaultOrEmpty)
        {
            // rc.init: the CMD runs once s6-rc has brought everything up (the legacy services
            // only started, unless S6_CMD_WAIT_FOR_SERVICES), and its exit code is the container's.
            var where = new SourceLocation("CMD", 1);
            List<Dependency> after = [.. services.Where(s => s.AutoStart).Select(s => new Dependency(s.Name,
                s.Type == ServiceType.Oneshot ? DependencyCondition.Completed
                : s.MemberOf.Contains("services.d") && !options.CmdWaitForServices ? DependencyCondition.Started
                : s.HasReadiness ? DependencyCondition.Ready : DependencyCondition.Started, where))];
            services.Add(new ServiceSpec
            {
                Name = Unique("cmd", taken),
                Command = [.. options.CmdArg0, .. cmd],
                Restart = RestartPolicy.Never,
                Main = true,
                Stop = StopSpec.Default with { Timeout = TimeSpan.FromMilliseconds(options.ServicesGraceTime) },
                DependsOn = [.. after],
                Where = where,
            });
        }
        services.AddRange(finishers);
        // s6-overlay has no overall stop deadline: Corral's covers the longest stop and finish,
        // every cont-finish script and the final grace, and never less than its own default.
        var budget = TimeSpan.FromMilliseconds(options.KillGraceTime) + TimeSpan.FromSeconds(1)
            + (services.Count == 0 ? TimeSpan.Zero : services.Max(s => s.Stop.Timeout + (s.FinishCommand.IsEmpty ? TimeSpan.Zero : s.FinishTimeout)))
            + services.Where(s => !s.DownCommand.IsEmpty).Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.FinishTimeout > TimeSpan.Zero ? s.FinishTimeout : TimeSpan.FromSeconds(5)));
        var shaped = config with
        {
            Services = [.. services],
            ShutdownTimeout = budget > config.ShutdownTimeout ? budget : config.ShutdownTimeout,
            SweepGrace = TimeSpan.FromMilliseconds(options.KillGraceTime),
            SignalsToMain = options.CmdReceiveSignals,
            MainWaitLimit = options.CmdWaitMaxTime > 0 ? TimeSpan.FromMilliseconds(options.CmdWaitMaxTime) : null,
            MainWaitIsFatal = options.BehaviourIfStage2Fails >= 2,
        };
        return (all.Any(x => x.Severity == Severity.Error) ? null : shaped, all.ToImmutable());
    }

    /// <summary>The stop signal and grace: down-signal, timeout-kill (or timeout-down), else S6_SERVICES_GRACETIME.</summary>
    static StopSpec StopFor(S6Definition d, ImmutableArray<Diagnostic>.Builder diagnostics, S6Options options)
    {
        var stop = StopSpec.Default with { Timeout = TimeSpan.FromMilliseconds(options.ServicesGraceTime) };
        if (d.Files.GetValueOrDefault("down-signal")?.Trim() is { Length: > 0 } signal)
        {
            if (Signals.TryParse(signal, out var number)) stop = stop with { Signal = number };
            else diagnostics.Add(Error(d, "down-signal", $"'{signal}' is not a signal"));
        }
        if (Number(d, "timeout-kill", diagnostics, 0, int.MaxValue) is { } kill and > 0) stop = stop with { Timeout = TimeSpan.FromMilliseconds(kill) };
        else if (Number(d, "timeout-down", diagnostics, 0, int.MaxValue) is { } down and > 0) stop = stop with { Timeout = TimeSpan.FromMilliseconds(down) };
        return stop;
    }

    /// <summary>s6-supervise's timeout-finish: 5000 ms unless the file says otherwise (0: no limit).</summary>
    static TimeSpan FinishTimeout(S6Definition d, ImmutableArray<Diagnostic>.Builder diagnostics) =>
        TimeSpan.FromMilliseconds(Number(d, "timeout-finish", diagnostics, 0, int.MaxValue) ?? 5000);

    static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++) candidate = $"{name}-{i}";
        return candidate;
    }

    public static (SupervisorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Read(IReadOnlyList<S6Definition> definitions, string source) =>
        Read(definitions, source, S6Options.Default);

    public static (SupervisorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Read(IReadOnlyList<S6Definition> definitions, string source, S6Options options)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in definitions)
        {
            var type = d.Files.GetValueOrDefault("type")?.Trim();
            if (type is not ("longrun" or "oneshot" or "bundle"))
            {
                diagnostics.Add(Error(d, "type", type is null ? "missing: a definition needs a type file (longrun, oneshot or bundle)" : $"'{type}' is not longrun, oneshot or bundle"));
                continue;
            }
            types[d.Name] = type;
        }

        // A bundle stands for its members, bundles in bundles included.
        IEnumerable<string> Members(string name, HashSet<string> seen)
        {
            if (!seen.Add(name)) yield break;
            if (types.GetValueOrDefault(name) != "bundle") { yield return name; yield break; }
            foreach (var member in Entries(byName[name], "contents.d"))
            {
                if (!types.ContainsKey(member))
                {
                    if (!OverlayNames.Contains(member)) diagnostics.Add(Error(byName[name], $"contents.d/{member}", $"'{member}' is not a service definition"));
                    continue;
                }
                foreach (var m in Members(member, seen)) yield return m;
            }
        }

        var bundlesOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var bundle in types.Where(t => t.Value == "bundle").Select(t => t.Key))
            foreach (var member in Members(bundle, []).Distinct())
                (bundlesOf.TryGetValue(member, out var list) ? list : bundlesOf[member] = []).Add(bundle);

        // What starts: user and user2, and everything they need.
        var roots = new[] { "user", "user2" }.Where(types.ContainsKey).ToList();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        void Want(string name)
        {
            foreach (var service in Members(name, []))
            {
                if (!wanted.Add(service)) continue;
                foreach (var dep in Entries(byName[service], "dependencies.d").Where(types.ContainsKey)) Want(dep);
            }
        }
        foreach (var root in roots) Want(root);
        if (roots.Count == 0) foreach (var name in types.Keys.Where(n => types[n] != "bundle")) wanted.Add(name);

        var services = new List<ServiceSpec>();
        foreach (var d in definitions.Where(d => types.GetValueOrDefault(d.Name) is "longrun" or "oneshot").OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var longrun = types[d.Name] == "longrun";
            foreach (var file in d.Files.Keys.Where(f => !f.Contains('/') && !Known.Contains(f)))
                diagnostics.Add(Warning(d, file, "not an s6-rc file: ignored"));
            foreach (var misplaced in (longrun ? new[] { "down", "up" } : ["finish", "run", "timeout-finish"]).Where(d.Files.ContainsKey))
                diagnostics.Add(Warning(d, misplaced, $"not a file of a {(longrun ? "longrun" : "oneshot")}: ignored"));

            var spec = new ServiceSpec
            {
                Name = d.Name,
                Command = [],
                Type = longrun ? ServiceType.Longrun : ServiceType.Oneshot,
                WorkingDir = d.Directory,
                MemberOf = [.. bundlesOf.GetValueOrDefault(d.Name) ?? []],
                AutoStart = wanted.Contains(d.Name),
                OnFailure = options.BehaviourIfStage2Fails >= 2 ? FailureAction.Shutdown : FailureAction.Ignore,
                Where = new SourceLocation(Path(d, "type"), 1),
            };
            if (longrun)
            {
                if (!d.Files.ContainsKey("run")) { diagnostics.Add(Error(d, "run", "missing: a longrun needs a run script")); continue; }
                spec = spec with { Command = [Path(d, "run")], Restart = RestartPolicy.Always };
                if (Number(d, "notification-fd", diagnostics, 3, 1023) is { } fd) spec = spec with { Ready = new ReadySpec(ReadinessKind.NotifyFd, fd) };
                if (Number(d, "timeout-up", diagnostics, 0, int.MaxValue) is { } up and > 0) spec = spec with { ReadyTimeout = TimeSpan.FromMilliseconds(up) };
                if (d.Files.ContainsKey("finish")) spec = spec with { FinishCommand = [Path(d, "finish")], FinishTimeout = FinishTimeout(d, diagnostics) };
            }
            else
            {
                var upText = d.Files.GetValueOrDefault("up");
                if (string.IsNullOrWhiteSpace(upText)) { diagnostics.Add(Error(d, "up", "missing or empty: a oneshot needs its command line in up")); continue; }
                if (!ShellWords.TrySplit(upText.Trim(), out var words, out var problem) || words.IsEmpty)
                {
                    diagnostics.Add(Error(d, "up", $"cannot read the command line: {(words.IsEmpty ? "empty" : problem)}"));
                    continue;
                }
                spec = spec with { Command = words };
                if (d.Files.GetValueOrDefault("down") is { } downText && !string.IsNullOrWhiteSpace(downText))
                {
                    if (!ShellWords.TrySplit(downText.Trim(), out var down, out var downProblem) || down.IsEmpty)
                        diagnostics.Add(Error(d, "down", $"cannot read the command line: {(down.IsEmpty ? "empty" : downProblem)}"));
                    else spec = spec with { DownCommand = down, FinishTimeout = TimeSpan.FromMilliseconds(Number(d, "timeout-down", diagnostics, 0, int.MaxValue) ?? 0) };
                }
            }
            spec = spec with { Stop = longrun ? StopFor(d, diagnostics, options) : StopSpec.Default };

            var dependencies = new List<Dependency>();
            foreach (var dep in Entries(d, "dependencies.d"))
            {
                if (!types.ContainsKey(dep))
                {
                    if (!OverlayNames.Contains(dep)) diagnostics.Add(Error(d, $"dependencies.d/{dep}", $"'{dep}' is not a service definition"));
                    continue;
                }
                foreach (var member in Members(dep, []).Where(m => m != d.Name))
                {
                    var condition = types[member] == "oneshot" ? DependencyCondition.CompletedSuccessfully
                        : byName[member].Files.ContainsKey("notification-fd") ? DependencyCondition.Ready : DependencyCondition.Started;
                    if (dependencies.All(x => x.Service != member))
                        dependencies.Add(new Dependency(member, condition, new SourceLocation(Path(d, $"dependencies.d/{dep}"), 1)) { Via = member == dep ? null : dep });
                }
            }
            var taken = types.Keys.ToHashSet(StringComparer.Ordinal);
            services.AddRange(longrun ? WithLogger(spec with { DependsOn = [.. dependencies] }, d, taken, diagnostics) : [spec with { DependsOn = [.. dependencies] }]);
        }
        services = S6Pipelines.Wire(services, definitions, diagnostics);
        var config = new SupervisorConfig { Services = [.. services], Source = source };
        return (diagnostics.Any(x => x.Severity == Severity.Error) ? null : config, diagnostics.ToImmutable());
    }

    /// <summary>The service, and its logger when its directory has a <c>log/run</c> (see <see cref="S6Pipelines"/>).</summary>
    static IEnumerable<ServiceSpec> WithLogger(ServiceSpec service, S6Definition d, HashSet<string> taken, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (!d.Files.Keys.Any(f => f.StartsWith("log/", StringComparison.Ordinal))) return [service];
        if (!d.Files.ContainsKey("log/run"))
        {
            diagnostics.Add(Warning(d, "log", "a log directory without a run script: ignored"));
            return [service];
        }
        var (producer, logger) = S6Pipelines.Logger(service, d);
        if (!taken.Add(logger.Name))
        {
            diagnostics.Add(Error(d, "log/run", $"its logger would be the service '{logger.Name}', which is defined already"));
            return [service];
        }
        return [producer, logger];
    }

    static IEnumerable<string> Entries(S6Definition d, string folder) =>
        d.Files.Keys.Where(f => f.StartsWith(folder + "/", StringComparison.Ordinal)).Select(f => f[(folder.Length + 1)..]).Where(n => n.Length > 0 && !n.Contains('/')).Order(StringComparer.Ordinal);

    static int? Number(S6Definition d, string file, ImmutableArray<Diagnostic>.Builder diagnostics, int min, int max)
    {
        if (d.Files.GetValueOrDefault(file)?.Trim() is not { Length: > 0 } text) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        diagnostics.Add(Error(d, file, $"'{text}' is not a number from {min} to {max}"));
        return null;
    }

    static string Path(S6Definition d, string file) => $"{d.Directory.TrimEnd('/')}/{file}";
    static Diagnostic Error(S6Definition d, string file, string message) => new(new SourceLocation(Path(d, file), 1), "", message);
    static Diagnostic Warning(S6Definition d, string file, string message) => new(new SourceLocation(Path(d, file), 1), "", message, Severity.Warning);
}
