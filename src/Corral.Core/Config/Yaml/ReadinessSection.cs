using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using YamlDotNet.RepresentationModel;

namespace Corral.Core.Config.Yaml;

// When a service is ready and whether it is still well: its own readiness signal (s6's
// notification fd, systemd's sd_notify, a log line), the sd_notify watchdog, and
// Kubernetes-style startup, readiness and liveness probes.
internal static class ReadinessSection
{
    const string ReadyForms = "notify, {notify_fd: N} or {log_line: \"regex\"}";

    static readonly string[] readyKeys = ["notify", "notify_fd", "log_line"];

    /// <summary>notify | {notify: true} | {notify_fd: 3..1023} | {log_line: "regex"}.</summary>
    internal static ReadySpec? ReadReady(YamlNode node, string field, FieldReader r)
    {
        if (node is not YamlMappingNode map)
        {
            if (r.Scalar(node, field, ReadyForms) is not { } text) return null;
            if (text.Trim().Equals("notify", StringComparison.OrdinalIgnoreCase)) return new ReadySpec(ReadinessKind.Notify);
            r.Error(node, field, $"unknown value '{text}' ({ReadyForms})");
            return null;
        }
        ReadySpec? ready = null;
        string? chosen = null;
        var ok = true;
        foreach (var (key, keyNode, value) in r.Entries(map, field, readyKeys))
        {
            var f = field + "." + key;
            if (chosen is not null)
            {
                r.Error(keyNode, f, $"'{key}' and '{chosen}' are two readiness signals; choose one ({ReadyForms})");
                ok = false;
                continue;
            }
            chosen = key;
            switch (key)
            {
                case "notify":
                    switch (r.Bool(value, f))
                    {
                        case true: ready = new ReadySpec(ReadinessKind.Notify); break;
                        case false:
                            r.Error(value, f, "'notify: false' is no readiness signal; leave 'ready:' out instead");
                            ok = false;
                            break;
                        default: ok = false; break;
                    }
                    break;
                case "notify_fd":
                    if (r.Int(value, f, 3, 1023) is { } fd) ready = new ReadySpec(ReadinessKind.NotifyFd, Fd: fd); else ok = false;
                    break;
                case "log_line":
                    if (ReadPattern(value, f, r) is { } pattern) ready = new ReadySpec(ReadinessKind.LogLine, Pattern: pattern); else ok = false;
                    break;
            }
        }
        if (chosen is null && ok && map.Children.Count == 0)
            r.Error(node, field, $"expected {ReadyForms}, got an empty mapping");
        return ok ? ready : null;
    }

    /// <summary>A .NET regular expression that compiles and is not empty (which would match every line).</summary>
    static string? ReadPattern(YamlNode node, string field, FieldReader r)
    {
        if (r.Scalar(node, field, "a regular expression") is not { } pattern) return null;
        if (pattern.Length == 0)
        {
            r.Error(node, field, "an empty pattern matches every line; write the line that means ready, such as \"listening on\"");
            return null;
        }
        if (RegexProblems.Check(pattern) is not { } problem) return pattern;
        r.Error(node, field, problem);
        return null;
    }

    /// <summary>Only sd_notify carries WATCHDOG=1, so a watchdog without 'ready: notify' is likely a mistake.</summary>
    internal static void WarnOfWatchdogWithoutNotify(ServiceSpec spec, YamlNode? ready, YamlNode? watchdog, string field, FieldReader r)
    {
        // A 'ready:' that was wrong is reported already; its kind is unknown.
        if (watchdog is null || spec.Watchdog is not { } interval || (ready is not null && spec.Ready is null)) return;
        if (spec.Ready?.Kind == ReadinessKind.Notify) return;
        r.Warning(watchdog, field + ".watchdog",
            $"only sd_notify sends WATCHDOG=1, and 'ready' is not 'notify'; add 'ready: notify', or the service is restarted whenever {Durations.Format(interval)} pass without one");
    }

    static readonly string[] probeKeys =
    [
        "exec", "http", "tcp", "initial_delay", "period", "timeout", "success_threshold", "failure_threshold",
        "http_get", "httpGet", "tcp_socket", "tcpSocket",
        "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold",
    ];

    const string ProbeTypes = "exec, http, tcp";

    /// <summary>The setting a probe key stands for: a probe type, or a timing field under either spelling.</summary>
    static string ProbeSetting(string key) => key switch
    {
        "exec" => "exec",
        "http" or "http_get" or "httpGet" => "http",
        "tcp" or "tcp_socket" or "tcpSocket" => "tcp",
        "initial_delay" or "initialDelaySeconds" => "initial_delay",
        "period" or "periodSeconds" => "period",
        "timeout" or "timeoutSeconds" => "timeout",
        "success_threshold" or "successThreshold" => "success_threshold",
        _ => "failure_threshold",
    };

    static string RoleName(ProbeRole role) => role switch
    {
        ProbeRole.Startup => "startup",
        ProbeRole.Readiness => "readiness",
        _ => "liveness",
    };

    /// <summary>
    /// A probe: exactly one of exec, http, tcp (or Kubernetes' httpGet, tcpSocket), and timing
    /// as durations (initial_delay, period, timeout) or as Kubernetes' whole seconds
    /// (initialDelaySeconds …). Null when anything was wrong.
    /// </summary>
    internal static ProbeSpec? ReadProbe(YamlScalarNode keyNode, YamlNode node, string field, ProbeRole role, FieldReader r)
    {
        if (r.Mapping(node, field, $"a mapping with one of {ProbeTypes}, and optionally initial_delay, period, timeout, success_threshold, failure_threshold") is not { } map)
            return null;
        var probe = new ProbeSpec { Kind = ProbeKind.Exec, Where = r.At(keyNode) };
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        string? type = null;
        var ok = true;
        foreach (var (key, entryKey, value) in r.Entries(map, field, probeKeys))
        {
            var f = field + "." + key;
            var setting = ProbeSetting(key);
            var isType = setting is "exec" or "http" or "tcp";
            if (isType && type is not null)
            {
                r.Error(entryKey, f, $"a probe has exactly one of {ProbeTypes}; this one has '{type}' already");
                ok = false;
                continue;
            }
            if (!seen.TryAdd(setting, key))
            {
                r.Error(entryKey, f, $"'{key}' and '{seen[setting]}' both set {setting}; keep one");
                ok = false;
                continue;
            }
            if (isType) type = key;
            switch (setting)
            {
                case "exec":
                    if (ReadProbeCommand(value, f, r) is { } command) probe = probe with { Kind = ProbeKind.Exec, Command = command }; else ok = false;
                    break;
                case "http":
                    if (ReadHttpProbe(value, f, probe, r) is { } http) probe = http; else ok = false;
                    break;
                case "tcp":
                    if (ReadTcpProbe(value, f, probe, r) is { } tcp) probe = tcp; else ok = false;
                    break;
                case "initial_delay":
                    if (ProbeTime(value, f, key, 0, r) is { } delay) probe = probe with { InitialDelay = delay }; else ok = false;
                    break;
                case "period":
                    if (ProbeTime(value, f, key, 1, r) is { } period) probe = probe with { Period = period }; else ok = false;
                    break;
                case "timeout":
                    if (ProbeTime(value, f, key, 1, r) is { } timeout) probe = probe with { Timeout = timeout }; else ok = false;
                    break;
                case "success_threshold":
                    if (r.Int(value, f, 1, int.MaxValue) is not { } successes) ok = false;
                    else if (successes != 1 && role != ProbeRole.Readiness)
                    {
                        r.Error(value, f, $"must be 1 for a {RoleName(role)} probe (as in Kubernetes); only a readiness probe may ask for more passes in a row");
                        ok = false;
                    }
                    else probe = probe with { SuccessThreshold = successes };
                    break;
                case "failure_threshold":
                    if (r.Int(value, f, 1, int.MaxValue) is { } failures) probe = probe with { FailureThreshold = failures }; else ok = false;
                    break;
            }
        }
        // A misspelt type ("htpp") is reported as an unknown key already.
        if (type is null)
        {
            if (!HasUnknownKey(map, probeKeys))
                r.Error(keyNode, field, $"missing the probe type: one of {ProbeTypes} (such as exec: [pg_isready] or http: {{port: 8080, path: /healthz}})");
            ok = false;
        }
        return ok ? probe : null;
    }

    /// <summary>A duration, or a whole number of seconds for Kubernetes' *Seconds spellings.</summary>
    static TimeSpan? ProbeTime(YamlNode node, string field, string key, int min, FieldReader r)
    {
        if (key.EndsWith("Seconds", StringComparison.Ordinal))
            return r.Int(node, field, min, int.MaxValue) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        return r.Duration(node, field, positive: min > 0);
    }

    /// <summary>exec: an argv list, a string split into words, or Kubernetes' {command: …}.</summary>
    static ImmutableArray<string>? ReadProbeCommand(YamlNode node, string field, FieldReader r)
    {
        if (node is YamlMappingNode map)
        {
            YamlNode? inner = null;
            foreach (var (_, _, value) in r.Entries(map, field, ["command"])) inner = value;
            if (inner is null && !HasUnknownKey(map, ["command"]))
            {
                r.Error(node, field + ".command", "missing 'command:' (a list of arguments, or a string split into words like a shell would)");
                return null;
            }
            return inner is null ? null : ReadProbeCommand(inner, field + ".command", r);
        }
        ImmutableArray<string> argv;
        switch (node)
        {
            case YamlSequenceNode list:
                var builder = ImmutableArray.CreateBuilder<string>();
                var ok = true;
                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (r.Scalar(list.Children[i], $"{field}[{i}]", "an argument string") is { } arg) builder.Add(arg); else ok = false;
                }
                if (!ok) return null;
                argv = builder.ToImmutable();
                break;
            default:
                if (r.Scalar(node, field, "a list of arguments, a command string, or {command: …}") is not { } text) return null;
                if (!ShellWords.TrySplit(text, out argv, out var error))
                {
                    r.Error(node, field, error);
                    return null;
                }
                if (ShellWords.FirstShellSyntax(text) is { } syntax)
                    r.Warning(node, field, $"'{syntax}' reaches the program as it is written, no shell interprets it; write [sh, -c, '…'] to run it with a shell");
                break;
        }
        if (argv.IsEmpty || argv[0].Length == 0)
        {
            r.Error(node, field, "the command is empty; it needs at least a program to run");
            return null;
        }
        return argv;
    }

    static ProbeSpec? ReadHttpProbe(YamlNode node, string field, ProbeSpec probe, FieldReader r)
    {
        if (r.Mapping(node, field, "a mapping with port, and optionally path, host, headers") is not { } map) return null;
        probe = probe with { Kind = ProbeKind.Http };
        var ok = true;
        var sawPort = false;
        foreach (var (key, _, value) in r.Entries(map, field, ["port", "path", "host", "headers"]))
        {
            var f = field + "." + key;
            switch (key)
            {
                case "port":
                    sawPort = true;
                    if (r.Int(value, f, 1, 65535) is { } port) probe = probe with { Port = port }; else ok = false;
                    break;
                case "path":
                    if (r.String(value, f) is not { } path) ok = false;
                    else if (!path.StartsWith('/'))
                    {
                        r.Error(value, f, $"a path starts with '/', such as /{path}");
                        ok = false;
                    }
                    else if (path.Any(char.IsControl) || path.Contains(' '))
                    {
                        r.Error(value, f, "a path has no spaces or control characters (write %20 for a space)");
                        ok = false;
                    }
                    else probe = probe with { Path = path };
                    break;
                case "host":
                    if (ReadHost(value, f, r) is { } host) probe = probe with { Host = host }; else ok = false;
                    break;
                case "headers":
                    if (ReadHeaders(value, f, r) is { } headers) probe = probe with { Headers = headers }; else ok = false;
                    break;
            }
        }
        if (!sawPort)
        {
            if (!HasUnknownKey(map, ["port", "path", "host", "headers"]))
                r.Error(node, field + ".port", "missing 'port:', the port to send GET requests to (1 to 65535)");
            ok = false;
        }
        return ok ? probe : null;
    }

    static ProbeSpec? ReadTcpProbe(YamlNode node, string field, ProbeSpec probe, FieldReader r)
    {
        if (r.Mapping(node, field, "a mapping with port, and optionally host") is not { } map) return null;
        probe = probe with { Kind = ProbeKind.Tcp };
        var ok = true;
        var sawPort = false;
        foreach (var (key, _, value) in r.Entries(map, field, ["port", "host"]))
        {
            var f = field + "." + key;
            if (key == "port")
            {
                sawPort = true;
                if (r.Int(value, f, 1, 65535) is { } port) probe = probe with { Port = port }; else ok = false;
            }
            else if (ReadHost(value, f, r) is { } host) probe = probe with { Host = host };
            else ok = false;
        }
        if (!sawPort)
        {
            if (!HasUnknownKey(map, ["port", "host"]))
                r.Error(node, field + ".port", "missing 'port:', the port to connect to (1 to 65535)");
            ok = false;
        }
        return ok ? probe : null;
    }

    static string? ReadHost(YamlNode node, string field, FieldReader r)
    {
        if (r.Scalar(node, field, "a host name or address") is not { } host) return null;
        if (host.Length > 0 && !host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/')) return host;
        r.Error(node, field, $"'{host}' is not a host name or address (such as 127.0.0.1, ::1 or db)");
        return null;
    }

    static ImmutableArray<KeyValuePair<string, string>>? ReadHeaders(YamlNode node, string field, FieldReader r)
    {
        if (r.Mapping(node, field, "a mapping of header names to values, such as {Host: example.com}") is not { } map) return null;
        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        var ok = true;
        foreach (var (keyNode, value) in r.Children(map, field))
        {
            if (r.Scalar(keyNode, field, "a header name") is not { } name)
            {
                ok = false;
                continue;
            }
            var f = field + "." + name;
            // RFC 9110's token: visible ASCII but separators.
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".Contains(c)))
            {
                r.Error(keyNode, f, $"'{name}' is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
                ok = false;
                continue;
            }
            if (r.Scalar(value, f, "a header value") is not { } text) ok = false;
            else if (text.Contains('\r') || text.Contains('\n') || text.Contains('\0'))
            {
                r.Error(value, f, "a header value is one line");
                ok = false;
            }
            else headers.Add(new(name, text));
        }
        return ok ? headers.ToImmutable() : null;
    }

    /// <summary>Whether a mapping has a key outside <paramref name="allowed"/> (which Entries reports).</summary>
    static bool HasUnknownKey(YamlMappingNode map, IReadOnlyList<string> allowed) =>
        map.Children.Keys.Any(k => k is not YamlScalarNode { Value: { } key } || (key != "<<" && !allowed.Contains(key)));
}
