using System.Collections.Immutable;
using Corral.Core.Model.Services;

namespace Corral.Core.Planning;

/// <summary>
/// A validated, compiled configuration: names resolved, the dependency graph acyclic, and the
/// order of start and stop fixed (ties broken by name, so the same config always gives the
/// same plan). Immutable; a reload compiles a new Plan and compares the two.
/// </summary>
/// <remarks>
/// The namespace is Planning, not Plan: a namespace named like the type would shadow it in
/// every <c>Corral.Core.*</c> namespace (CS0118).
/// </remarks>
public sealed record Plan
{
    readonly ImmutableDictionary<string, ServiceSpec> byName;

    internal Plan(SupervisorConfig config, ImmutableArray<ImmutableArray<string>> levels, ImmutableDictionary<string, ImmutableArray<string>> dependents)
    {
        Config = config;
        Levels = levels;
        Dependents = dependents;
        byName = config.Services.ToImmutableDictionary(s => s.Name, StringComparer.Ordinal);
        StartOrder = [.. levels.SelectMany(level => level).Select(name => byName[name])];
        StopOrder = [.. StartOrder.Reverse().Select(s => s.Name)];
    }

    /// <summary>The config as run: replicas expanded into their copies.</summary>
    public SupervisorConfig Config { get; }

    /// <summary>The config as written (replicas: N not yet expanded), for ctl scale to change and compile again.</summary>
    public required SupervisorConfig Declared { get; init; }

    /// <summary>The same plan with another control block (which the order of services does not depend on).</summary>
    internal Plan WithControl(ControlSpec control) => new(Config with { Control = control }, Levels, Dependents) { Declared = Declared with { Control = control } };

    /// <summary>Every service after all of its dependencies: the levels one after another.</summary>
    public ImmutableArray<ServiceSpec> StartOrder { get; }

    /// <summary>
    /// Level 0 depends on nothing; level n on something in level n−1 and nothing later. The
    /// services of one level can start together. Each level is sorted by name.
    /// </summary>
    public ImmutableArray<ImmutableArray<string>> Levels { get; }

    /// <summary>The services that depend directly on each service (every service has an entry), sorted by name.</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Dependents { get; }

    /// <summary>Dependents before their dependencies: StartOrder reversed.</summary>
    public ImmutableArray<string> StopOrder { get; }

    public ServiceSpec this[string name] => Service(name);

    /// <exception cref="KeyNotFoundException">No service has that name.</exception>
    public ServiceSpec Service(string name) =>
        byName.TryGetValue(name, out var spec) ? spec : throw new KeyNotFoundException($"no service '{name}' in the plan");

    public bool TryGetService(string name, out ServiceSpec? spec) => byName.TryGetValue(name, out spec);
}
