using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using YamlDotNet.RepresentationModel;

namespace Corral.Core.Config.Yaml;

// One service's settings: what runs, when, and what happens when it ends.
internal static class ServiceSection
{
    static readonly string[] serviceKeys =
    [
        "command", "shell", "type", "depends_on", "restart", "backoff", "max_restarts", "restart_window",
        "success_exit_codes", "on_failure", "main", "stop", "user", "group", "working_dir", "umask",
        "rlimits", "environment", "env_file", "inherit_env", "logs",
        "ready", "ready_timeout", "watchdog", "startup_probe", "readiness_probe", "liveness_probe", "groups", "replicas",
    ];

    static readonly string[] replicaKeys = ["count", "port"];

    static readonly (string, ServiceType)[] serviceTypes = [("longrun", ServiceType.Longrun), ("oneshot", ServiceType.Oneshot)];

    static readonly (string, RestartPolicy)[] restartPolicies =
    [
        ("always", RestartPolicy.Always), ("on-failure", RestartPolicy.OnFailure), ("never", RestartPolicy.Never),
        ("no", RestartPolicy.Never), ("unless-stopped", RestartPolicy.Always),
    ];

    static readonly (string, FailureAction)[] failureActions =
        [("ignore", FailureAction.Ignore), ("stop-dependents", FailureAction.StopDependents), ("shutdown", FailureAction.Shutdown)];

    static readonly (string, DependencyCondition)[] conditions =
    [
        ("started", DependencyCondition.Started), ("ready", DependencyCondition.Ready), ("healthy", DependencyCondition.Healthy),
        ("completed", DependencyCondition.Completed), ("completed_successfully", DependencyCondition.CompletedSuccessfully),
        ("service_started", DependencyCondition.Started), ("service_healthy", DependencyCondition.Healthy),
        ("service_completed_successfully", DependencyCondition.CompletedSuccessfully),
    ];

    const string ConditionNames = "started, ready, healthy, completed, completed_successfully";

    internal static ServiceSpec? ReadService(YamlScalarNode nameNode, string name, YamlNode node, FieldReader r)
    {
        var field = "services." + name;
        if (r.Mapping(node, field, "a mapping of settings (at least 'command:')") is not { } map) return null;
        var spec = new ServiceSpec { Name = name, Command = [], Where = r.At(nameNode) };
        YamlNode? command = null;
        YamlNode? shell = null;
        YamlNode? ready = null;
        YamlNode? watchdog = null;
        foreach (var (key, keyNode, value) in r.Entries(map, field, serviceKeys, extensions: true))
        {
            var f = field + "." + key;
            switch (key)
            {
                case "command": command = value; break;
                case "shell": shell = value; break;
                case "type":
                    if (r.Choice(value, f, "longrun, oneshot", serviceTypes) is { } type) spec = spec with { Type = type };
                    break;
                case "depends_on": spec = spec with { DependsOn = ReadDependencies(value, f, r) }; break;
                case "restart":
                    if (r.Choice(value, f, "always, on-failure, never", restartPolicies) is { } restart) spec = spec with { Restart = restart };
                    break;
                case "backoff":
                    if (ReadBackoff(value, f, r) is { } backoff) spec = spec with { Backoff = backoff };
                    break;
                case "max_restarts":
                    if (r.Int(value, f, 0, int.MaxValue) is { } max) spec = spec with { MaxRestarts = max };
                    break;
                case "restart_window":
                    if (r.Duration(value, f, positive: true) is { } window) spec = spec with { RestartWindow = window };
                    break;
                case "success_exit_codes":
                    if (ReadExitCodes(value, f, r) is { } codes) spec = spec with { SuccessExitCodes = codes };
                    break;
                case "on_failure":
                    if (r.Choice(value, f, "ignore, stop-dependents, shutdown", failureActions) is { } action) spec = spec with { OnFailure = action };
                    break;
                case "main":
                    if (r.Bool(value, f) is { } main) spec = spec with { Main = main };
                    break;
                case "replicas":
                    spec = ReadReplicas(spec, value, f, r);
                    break;
                case "stop":
                    if (ReadStop(value, f, r) is { } stop) spec = spec with { Stop = stop };
                    break;
                case "user": spec = spec with { User = r.String(value, f) }; break;
                case "group": spec = spec with { Group = r.String(value, f) }; break;
                case "working_dir": spec = spec with { WorkingDir = r.String(value, f) }; break;
                case "umask": spec = spec with { Umask = ProcessFields.ReadUmask(value, f, r) }; break;
                case "rlimits": spec = spec with { Limits = ProcessFields.ReadLimits(value, f, r) }; break;
                case "environment": spec = spec with { Environment = ProcessFields.ReadEnvironment(value, f, r) }; break;
                case "env_file": spec = spec with { EnvFiles = ReadStrings(value, f, r) }; break;
                case "groups": spec = spec with { MemberOf = ReadGroups(value, f, r) }; break;
                case "inherit_env":
                    if (r.Bool(value, f) is { } inherit) spec = spec with { InheritEnv = inherit };
                    break;
                case "logs":
                    if (ProcessFields.ReadLogs(value, f, r) is { } logs) spec = spec with { Logs = logs };
                    break;
                case "ready":
                    ready = value;
                    spec = spec with { Ready = ReadinessSection.ReadReady(value, f, r) };
                    break;
                case "ready_timeout":
                    if (r.Duration(value, f, positive: true) is { } readyTimeout) spec = spec with { ReadyTimeout = readyTimeout };
                    break;
                case "watchdog":
                    watchdog = value;
                    if (r.Duration(value, f, positive: true) is { } interval) spec = spec with { Watchdog = interval };
                    break;
                case "startup_probe": spec = spec with { StartupProbe = ReadinessSection.ReadProbe(keyNode, value, f, ProbeRole.Startup, r) }; break;
                case "readiness_probe": spec = spec with { ReadinessProbe = ReadinessSection.ReadProbe(keyNode, value, f, ProbeRole.Readiness, r) }; break;
                case "liveness_probe": spec = spec with { LivenessProbe = ReadinessSection.ReadProbe(keyNode, value, f, ProbeRole.Liveness, r) }; break;
            }
        }
        ReadinessSection.WarnOfWatchdogWithoutNotify(spec, ready, watchdog, field, r);
        return ReadCommand(spec, nameNode, command, shell, field, r);
    }

    static ServiceSpec ReadCommand(ServiceSpec spec, YamlNode nameNode, YamlNode? command, YamlNode? shellNode, string field, FieldReader r)
    {
        var shell = shellNode is not null && r.Bool(shellNode, field + ".shell") == true;
        var f = field + ".command";
        switch (command)
        {
            case null:
                r.Error(nameNode, f, "missing 'command:' (a list of arguments, or a string split into words like a shell would)");
                return spec;
            case YamlScalarNode when shell:
                return r.String(command, f) is { } script ? spec with { Command = [script], Shell = true } : spec;
            case YamlScalarNode:
                if (r.String(command, f) is not { } text) return spec;
                if (!ShellWords.TrySplit(text, out var words, out var error))
                {
                    r.Error(command, f, error);
                    return spec;
                }
                if (ShellWords.FirstShellSyntax(text) is { } syntax)
                    r.Warning(command, f, $"'{syntax}' reaches the program as it is written, no shell interprets it; add 'shell: true' to run the command with /bin/sh -c");
                return spec with { Command = words };
            case YamlSequenceNode when shell:
                r.Error(command, f, "with 'shell: true' the command must be one string, the script for /bin/sh -c");
                return spec;
            case YamlSequenceNode list:
                var argv = ImmutableArray.CreateBuilder<string>();
                for (var i = 0; i < list.Children.Count; i++)
                {
                    // An empty quoted argument ("") is legitimate; only a missing one is not.
                    if (r.Scalar(list.Children[i], $"{f}[{i}]", "an argument string") is { } arg) argv.Add(arg);
                }
                return spec with { Command = argv.ToImmutable() };
            default:
                r.Error(command, f, "expected a list of arguments or a command string, got a mapping");
                return spec;
        }
    }

    static ImmutableArray<Dependency> ReadDependencies(YamlNode node, string field, FieldReader r)
    {
        var dependencies = ImmutableArray.CreateBuilder<Dependency>();
        switch (node)
        {
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var item = list.Children[i];
                    if (r.Scalar(item, $"{field}[{i}]", "a service name") is { } name)
                        dependencies.Add(new Dependency(name, DependencyCondition.Started, r.At(item)));
                }
                break;
            case YamlMappingNode map:
                foreach (var (keyNode, value) in r.Children(map, field))
                {
                    if (r.Scalar(keyNode, field, "a service name") is not { } name) continue;
                    var f = field + "." + name;
                    var condition = DependencyCondition.Started;
                    if (!FieldReader.IsNull(value) && r.Mapping(value, f, "a mapping such as {condition: completed_successfully}") is { } settings)
                    {
                        var ok = true;
                        foreach (var (_, _, conditionNode) in r.Entries(settings, f, ["condition"]))
                        {
                            if (r.Choice(conditionNode, f + ".condition", ConditionNames, conditions) is { } c) condition = c;
                            else ok = false;
                        }
                        if (!ok) continue;
                    }
                    dependencies.Add(new Dependency(name, condition, r.At(keyNode)));
                }
                break;
            default:
                r.Sequence(node, field, "a list of service names, or a mapping of names to {condition: …}");
                break;
        }
        return dependencies.ToImmutable();
    }

    static Backoff? ReadBackoff(YamlNode node, string field, FieldReader r)
    {
        if (r.Mapping(node, field, "a mapping with initial, factor, max, reset_after") is not { } map) return null;
        var backoff = Backoff.Default;
        var ok = true;
        foreach (var (key, _, value) in r.Entries(map, field, ["initial", "factor", "max", "reset_after"]))
        {
            var f = field + "." + key;
            switch (key)
            {
                case "initial":
                    if (r.Duration(value, f, positive: true) is { } initial) backoff = backoff with { Initial = initial }; else ok = false;
                    break;
                case "factor":
                    if (r.Number(value, f, 1) is { } factor) backoff = backoff with { Factor = factor }; else ok = false;
                    break;
                case "max":
                    if (r.Duration(value, f, positive: true) is { } max) backoff = backoff with { Max = max }; else ok = false;
                    break;
                case "reset_after":
                    if (r.Duration(value, f) is { } reset) backoff = backoff with { ResetAfter = reset }; else ok = false;
                    break;
            }
        }
        if (ok && backoff.Initial > backoff.Max)
        {
            r.Error(node, field, $"initial ({Durations.Format(backoff.Initial)}) is longer than max ({Durations.Format(backoff.Max)})");
            return null;
        }
        return ok ? backoff : null;
    }

    static ImmutableHashSet<int>? ReadExitCodes(YamlNode node, string field, FieldReader r)
    {
        if (r.Sequence(node, field, "a list of exit codes such as [0, 143]") is not { } list) return null;
        var codes = ImmutableHashSet.CreateBuilder<int>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (r.Int(list.Children[i], $"{field}[{i}]", 0, 255) is { } code) codes.Add(code);
        }
        return codes.ToImmutable();
    }

    static StopSpec? ReadStop(YamlNode node, string field, FieldReader r)
    {
        if (r.Mapping(node, field, "a mapping with signal and timeout") is not { } map) return null;
        var stop = StopSpec.Default;
        foreach (var (key, _, value) in r.Entries(map, field, ["signal", "timeout"]))
        {
            var f = field + "." + key;
            if (key == "timeout")
            {
                if (r.Duration(value, f) is { } timeout) stop = stop with { Timeout = timeout };
            }
            else if (r.Scalar(value, f, "a signal name or number") is { } text)
            {
                if (Signals.TryParse(text, out var signal)) stop = stop with { Signal = signal };
                else r.Error(value, f, $"unknown signal '{text}' (a name such as TERM, SIGINT, QUIT, or a number from 1 to {Signals.Max})");
            }
        }
        return stop;
    }

    /// <summary>groups: [web, frontend] or groups: web; each a name like a service's.</summary>
    static ImmutableArray<string> ReadGroups(YamlNode node, string field, FieldReader r)
    {
        var groups = ImmutableArray.CreateBuilder<string>();
        var items = node is YamlSequenceNode list ? list.Children.ToList() : [node];
        for (var i = 0; i < items.Count; i++)
        {
            var f = node is YamlSequenceNode ? $"{field}[{i}]" : field;
            if (r.Scalar(items[i], f, "a group name or a list of them") is not { } name) continue;
            if (!YamlConfigReader.ServiceName().IsMatch(name)) r.Error(items[i], f, $"'{name}' is not a valid group name (a letter or digit, then letters, digits, '_', '.', '-')");
            else if (name == "all") r.Error(items[i], f, "'all' already means every service; choose another group name");
            else if (!groups.Contains(name)) groups.Add(name);
        }
        return groups.ToImmutable();
    }

    static ImmutableArray<string> ReadStrings(YamlNode node, string field, FieldReader r)
    {
        if (node is YamlSequenceNode list)
        {
            var strings = ImmutableArray.CreateBuilder<string>();
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (r.String(list.Children[i], $"{field}[{i}]") is { } s) strings.Add(s);
            }
            return strings.ToImmutable();
        }
        return r.Scalar(node, field, "a path or a list of paths") is { } one ? [one] : [];
    }

    /// <summary>replicas: N, or {count: N, port: P} (PORT=P for the first copy, P+1 for the next …).</summary>
    static ServiceSpec ReadReplicas(ServiceSpec spec, YamlNode value, string field, FieldReader r)
    {
        if (value is YamlScalarNode)
            return r.Int(value, field, 0, 1000) is { } n ? spec with { Replicas = n } : spec;
        if (r.Mapping(value, field, "a count, or a mapping with count and port") is not { } map) return spec;
        foreach (var (key, _, v) in r.Entries(map, field, replicaKeys))
        {
            switch (key)
            {
                case "count":
                    if (r.Int(v, $"{field}.count", 0, 1000) is { } n) spec = spec with { Replicas = n };
                    break;
                case "port":
                    if (r.Int(v, $"{field}.port", 1, 65535) is { } port) spec = spec with { ReplicaPort = port };
                    break;
            }
        }
        return spec.Replicas is null ? spec with { Replicas = 1 } : spec;
    }
}
