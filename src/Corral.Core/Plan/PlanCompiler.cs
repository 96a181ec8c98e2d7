using Corral.Core.Model;
using System.Collections.Immutable;
using Corral.Core.Model.Services;

namespace Corral.Core.Planning;

/// <summary>
/// Checks a configuration, whatever format it came from, and compiles it into a Plan. The
/// checks are small named rules that each add diagnostics; the plan is built only when none
/// of them found an error (warnings are returned either way).
/// </summary>
/// <remarks>
/// A reader may hand over a config that had errors, naming the services it could not read
/// completely, so that one run reports every problem of a file. Rules then judge only what
/// was read: such a service's name counts as known, and its own settings (command,
/// readiness, type) are not judged again, since they may be what was wrong.
/// </remarks>
public static class PlanCompiler
{
    public static (Plan? Plan, ImmutableArray<Diagnostic> Diagnostics) Compile(SupervisorConfig config) => Compile(config, ImmutableHashSet<string>.Empty);

    public static (Plan? Plan, ImmutableArray<Diagnostic> Diagnostics) Compile(SupervisorConfig config, IReadOnlySet<string> incomplete)
    {
        var declared = config;
        config = Replicas.Expand(config);
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var read = new ReadConfig(config, incomplete);
        NamesAreUnique(config, diagnostics);
        GroupsAreNotServiceNames(config, diagnostics);
        CommandsAreNotEmpty(read, diagnostics);
        DependenciesExist(read, diagnostics);
        NoServiceDependsOnItself(config, diagnostics);
        NoDependencyIsListedTwice(config, diagnostics);
        ReadinessConditionsCanBeObserved(read, diagnostics);
        CompletionIsAwaitedOnlyFromOneshots(read, diagnostics);
        NoCycles(read, diagnostics);
        var hasErrors = incomplete.Count > 0 || diagnostics.Any(d => d.Severity == Severity.Error);
        return (hasErrors ? null : Build(config, declared), diagnostics.ToImmutable());
    }

    /// <summary>The services by name (the first of a name), and the names whose settings were not all read.</summary>
    sealed class ReadConfig(SupervisorConfig config, IReadOnlySet<string> incomplete)
    {
        public SupervisorConfig Config => config;

        public IReadOnlySet<string> Incomplete => incomplete;

        public Dictionary<string, ServiceSpec> ByName { get; } =
            config.Services.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        /// <summary>A service fully read, to judge its settings by; null for an unknown or incomplete one.</summary>
        public ServiceSpec? Complete(string name) => incomplete.Contains(name) ? null : ByName.GetValueOrDefault(name);
    }

    static string Field(ServiceSpec s, string key) => $"services.{s.Name}.{key}";

    static void NamesAreUnique(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in config.Services)
        {
            if (!seen.Add(s.Name)) diagnostics.Add(new(s.Where, "services." + s.Name, $"a second service is named '{s.Name}'"));
        }
    }

    /// <summary>A name given to ctl means one thing: a service or a group, never both.</summary>
    static void GroupsAreNotServiceNames(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var names = config.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var s in config.Services)
            foreach (var g in s.MemberOf.Where(names.Contains))
                diagnostics.Add(new(s.Where, Field(s, "groups"), $"group '{g}' has the name of a service; a name must mean one or the other"));
    }

    static void CommandsAreNotEmpty(ReadConfig read, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        foreach (var s in read.Config.Services.Where(s => !read.Incomplete.Contains(s.Name)))
        {
            if (s.Shell && (s.Command.Length != 1 || string.IsNullOrWhiteSpace(s.Command[0])))
                diagnostics.Add(new(s.Where, Field(s, "command"), "with 'shell: true' the command must be one non-empty script"));
            // A oneshot with only a down command (s6-rc's empty up) has nothing to run up.
            else if (s.Type == ServiceType.Oneshot && s.Command.IsEmpty && !s.DownCommand.IsEmpty) continue;
            else if (!s.Shell && (s.Command.IsDefaultOrEmpty || s.Command[0].Length == 0))
                diagnostics.Add(new(s.Where, Field(s, "command"), "the command is empty; it needs at least a program to run"));
        }
    }

    static void DependenciesExist(ReadConfig read, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var names = read.ByName.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var s in read.Config.Services)
        {
            foreach (var d in s.DependsOn.Where(d => !names.Contains(d.Service) && !read.Incomplete.Contains(d.Service)))
            {
                var close = names.Where(n => n != s.Name).OrderBy(n => EditDistance.Between(n, d.Service)).ThenBy(n => n, StringComparer.Ordinal).FirstOrDefault();
                var hint = close is not null && EditDistance.Between(close, d.Service) <= 2 ? $"; did you mean '{close}'?" : "";
                diagnostics.Add(new(d.Where, Field(s, "depends_on"), $"'{s.Name}' depends on '{d.Service}', which is not a service{hint} (services: {string.Join(", ", names.Order(StringComparer.Ordinal))})"));
            }
        }
    }

    static void NoServiceDependsOnItself(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        foreach (var s in config.Services)
        {
            foreach (var d in s.DependsOn.Where(d => d.Service == s.Name))
                diagnostics.Add(new(d.Where, Field(s, "depends_on"), $"'{s.Name}' depends on itself"));
        }
    }

    static void NoDependencyIsListedTwice(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        foreach (var s in config.Services)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in s.DependsOn.Where(d => !seen.Add(d.Service)))
                diagnostics.Add(new(d.Where, Field(s, "depends_on"), $"'{d.Service}' is listed twice"));
        }
    }

    /// <summary>
    /// 'ready' waits for a readiness signal or probe (a startup probe too), 'healthy' for a
    /// liveness or readiness probe; without them the condition means less than it says
    /// ('ready' is started, 'healthy' is ready, or started), which the writer may not have meant.
    /// </summary>
    static void ReadinessConditionsCanBeObserved(ReadConfig read, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        foreach (var s in read.Config.Services)
        {
            foreach (var d in s.DependsOn)
            {
                if (read.Complete(d.Service) is not { } target) continue;
                var message = d.Condition switch
                {
                    DependencyCondition.Ready when !target.HasReadiness =>
                        $"'{d.Service}' has no readiness signal or probe: 'ready' means started",
                    DependencyCondition.Healthy when target.LivenessProbe is null && target.ReadinessProbe is null =>
                        $"'{d.Service}' has no liveness or readiness probe: 'healthy' means {(target.HasReadiness ? "ready" : "started")}",
                    _ => null,
                };
                if (message is not null) diagnostics.Add(new(d.Where, Field(s, "depends_on"), message, Severity.Warning));
            }
        }
    }

    static void CompletionIsAwaitedOnlyFromOneshots(ReadConfig read, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        foreach (var s in read.Config.Services)
        {
            foreach (var d in s.DependsOn)
            {
                if (d.Condition is not (DependencyCondition.Completed or DependencyCondition.CompletedSuccessfully)) continue;
                if (read.Complete(d.Service) is not { Type: ServiceType.Longrun }) continue;
                diagnostics.Add(new(d.Where, Field(s, "depends_on"),
                    $"'{d.Service}' is a longrun, so '{s.Name}' starts only once it has exited; did you mean 'type: oneshot' for '{d.Service}', or condition 'started'?",
                    Severity.Warning));
            }
        }
    }

    /// <summary>
    /// Depth-first search from each service in name order; every edge back onto the current
    /// path closes a cycle, reported at that dependency as "a -> b -> a". Unknown names (an
    /// error of their own) and a service's edge to itself (reported as such) are not walked.
    /// </summary>
    static void NoCycles(ReadConfig read, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        void Visit(ServiceSpec s)
        {
            path.Add(s.Name);
            foreach (var d in s.DependsOn.Where(d => d.Service != s.Name).OrderBy(d => d.Service, StringComparer.Ordinal))
            {
                var onPath = path.IndexOf(d.Service);
                if (onPath >= 0)
                {
                    var cycle = string.Join(" -> ", path.Skip(onPath).Append(d.Service));
                    diagnostics.Add(new(d.Where, Field(s, "depends_on"), $"dependency cycle: {cycle}"));
                }
                else if (!done.Contains(d.Service) && read.ByName.GetValueOrDefault(d.Service) is { } next) Visit(next);
            }
            path.RemoveAt(path.Count - 1);
            done.Add(s.Name);
        }

        foreach (var s in read.ByName.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (!done.Contains(s.Name)) Visit(s);
        }
    }

    static Plan Build(SupervisorConfig config, SupervisorConfig declared)
    {
        var byName = config.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);

        int LevelOf(ServiceSpec s)
        {
            if (level.TryGetValue(s.Name, out var known)) return known;
            var l = s.DependsOn.Length == 0 ? 0 : 1 + s.DependsOn.Max(d => LevelOf(byName[d.Service]));
            level[s.Name] = l;
            return l;
        }

        foreach (var s in config.Services) LevelOf(s);
        var levels = level.GroupBy(kv => kv.Value).OrderBy(g => g.Key)
            // Within a level: supervisord's priority (lower first), then the name.
            .Select(g => g.Select(kv => kv.Key).OrderBy(n => byName[n].Priority).ThenBy(n => n, StringComparer.Ordinal).ToImmutableArray())
            .ToImmutableArray();
        var dependents = config.Services.ToImmutableDictionary(
            s => s.Name,
            s => config.Services.Where(other => other.DependsOn.Any(d => d.Service == s.Name)).Select(o => o.Name).Order(StringComparer.Ordinal).ToImmutableArray(),
            StringComparer.Ordinal);
        return new Plan(config, levels, dependents) { Declared = declared };
    }

}
