using Corral.Core.Model;
using System.Collections.Immutable;
using Corral.Core.Model.Services;

namespace Corral.Core.Planning;

/// <summary>
/// Checks a configuration, whatever format it came from, and compiles it into a Plan. The
/// checks are small named rules that each add diagnostics; the plan is built only when none
/// of them found an error (warnings are returned either way).
/// </summary>
public static class PlanCompiler
{
    public static (Plan? Plan, ImmutableArray<Diagnostic> Diagnostics) Compile(SupervisorConfig config)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        NamesAreUnique(config, diagnostics);
        GroupsAreNotServiceNames(config, diagnostics);
        CommandsAreNotEmpty(config, diagnostics);
        DependenciesExist(config, diagnostics);
        NoServiceDependsOnItself(config, diagnostics);
        NoDependencyIsListedTwice(config, diagnostics);
        ReadinessConditionsCanBeObserved(config, diagnostics);
        CompletionIsAwaitedOnlyFromOneshots(config, diagnostics);
        var hasErrors = diagnostics.Any(d => d.Severity == Severity.Error);
        // The graph can be walked only once every name is resolved and unique.
        if (!hasErrors) hasErrors = !NoCycles(config, diagnostics);
        return (hasErrors ? null : Build(config), diagnostics.ToImmutable());
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

    static void CommandsAreNotEmpty(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        foreach (var s in config.Services)
        {
            if (s.Shell && (s.Command.Length != 1 || string.IsNullOrWhiteSpace(s.Command[0])))
                diagnostics.Add(new(s.Where, Field(s, "command"), "with 'shell: true' the command must be one non-empty script"));
            else if (!s.Shell && (s.Command.IsDefaultOrEmpty || s.Command[0].Length == 0))
                diagnostics.Add(new(s.Where, Field(s, "command"), "the command is empty; it needs at least a program to run"));
        }
    }

    static void DependenciesExist(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var names = config.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var s in config.Services)
        {
            foreach (var d in s.DependsOn.Where(d => !names.Contains(d.Service)))
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
    static void ReadinessConditionsCanBeObserved(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var byName = config.Services.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var s in config.Services)
        {
            foreach (var d in s.DependsOn)
            {
                if (!byName.TryGetValue(d.Service, out var target)) continue;
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

    static void CompletionIsAwaitedOnlyFromOneshots(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var types = config.Services.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);
        foreach (var s in config.Services)
        {
            foreach (var d in s.DependsOn)
            {
                if (d.Condition is not (DependencyCondition.Completed or DependencyCondition.CompletedSuccessfully)) continue;
                if (!types.TryGetValue(d.Service, out var type) || type != ServiceType.Longrun) continue;
                diagnostics.Add(new(d.Where, Field(s, "depends_on"),
                    $"'{d.Service}' is a longrun, so '{s.Name}' starts only once it has exited; did you mean 'type: oneshot' for '{d.Service}', or condition 'started'?",
                    Severity.Warning));
            }
        }
    }

    /// <summary>
    /// Depth-first search from each service in name order; every edge back onto the current
    /// path closes a cycle, reported at that dependency as "a -> b -> a".
    /// </summary>
    static bool NoCycles(SupervisorConfig config, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var byName = config.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        var found = false;

        void Visit(ServiceSpec s)
        {
            path.Add(s.Name);
            foreach (var d in s.DependsOn.OrderBy(d => d.Service, StringComparer.Ordinal))
            {
                var onPath = path.IndexOf(d.Service);
                if (onPath >= 0)
                {
                    var cycle = string.Join(" -> ", path.Skip(onPath).Append(d.Service));
                    diagnostics.Add(new(d.Where, Field(s, "depends_on"), $"dependency cycle: {cycle}"));
                    found = true;
                }
                else if (!done.Contains(d.Service)) Visit(byName[d.Service]);
            }
            path.RemoveAt(path.Count - 1);
            done.Add(s.Name);
        }

        foreach (var s in config.Services.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (!done.Contains(s.Name)) Visit(s);
        }
        return !found;
    }

    static Plan Build(SupervisorConfig config)
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
            .Select(g => g.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToImmutableArray())
            .ToImmutableArray();
        var dependents = config.Services.ToImmutableDictionary(
            s => s.Name,
            s => config.Services.Where(other => other.DependsOn.Any(d => d.Service == s.Name)).Select(o => o.Name).Order(StringComparer.Ordinal).ToImmutableArray(),
            StringComparer.Ordinal);
        return new Plan(config, levels, dependents);
    }

}
