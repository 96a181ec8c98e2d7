using System.Collections.Immutable;
using Corral.Core.Config.Yaml;
using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Config.Supervisord;

/// <summary>What [supervisord] gives every program: its environment, umask and user, and the host's name.</summary>
internal sealed record ProgramDefaults(
    ImmutableArray<KeyValuePair<string, string>> Environment, int? Umask, string? User, IniExpansion.Names Names);

/// <summary>
/// A [program:x] section to services: one per process (numprocs copies, named by
/// process_name), with supervisord's defaults (startsecs 1, startretries 3, autorestart
/// unexpected, exitcodes 0, stopwaitsecs 10, log files AUTO).
/// </summary>
internal static class ProgramSection
{
    static readonly string[] implemented =
    [
        "command", "process_name", "numprocs", "numprocs_start", "priority", "autostart", "startsecs", "startretries",
        "autorestart", "exitcodes", "stopsignal", "stopwaitsecs", "stopasgroup", "killasgroup", "user", "redirect_stderr",
        "stdout_logfile", "stdout_logfile_maxbytes", "stdout_logfile_backups", "stderr_logfile", "stderr_logfile_maxbytes",
        "stderr_logfile_backups", "environment", "directory", "umask", "serverurl",
        "stdout_capture_maxbytes", "stdout_events_enabled", "stdout_syslog",
        "stderr_capture_maxbytes", "stderr_events_enabled", "stderr_syslog",
    ];

    /// <summary>[eventlistener:x] takes [program:x]'s options and these.</summary>
    static readonly string[] listenerOnly = ["events", "buffer_size", "result_handler"];

    const string DefaultResultHandler = "supervisor.dispatchers:default_handler";
    /// <summary>The most copies numprocs may ask for (Corral's ctl scale allows 1000).</summary>
    internal const int MaxProcesses = 10000;

    const long DefaultLogMaxBytes = 50L << 20;
    const int DefaultLogBackups = 10;

    /// <param name="groups">The groups the program is in: the [group:x] sections naming it, else its own name.</param>
    /// <param name="groupPriority">The priority of the [group] it is in, for a program that sets none.</param>
    /// <param name="listener">An [eventlistener:x] section: its processes speak the listener protocol on stdin and stdout.</param>
    internal static List<ServiceSpec> Read(IniSection section, string program, ImmutableArray<string> groups, int? groupPriority,
        ProgramDefaults defaults, IniFields f, HashSet<string> incomplete, bool listener = false)
    {
        var errors = f.ErrorCount;
        var specs = new List<ServiceSpec>();
        string[] known = listener ? [.. implemented, .. listenerOnly] : implemented;
        foreach (var e in section.Entries)
        {
            if (!known.Contains(e.Key))
            {
                var close = FieldReader.Suggest(e.Key, known);
                f.Warn(e.Where, IniFields.Field(section, e), $"unknown option, ignored{(close is null ? "" : $"; did you mean '{close}'?")}");
            }
        }
        var names = defaults.Names.Copy().With("program_name", program).With("group_name", groups[0]);
        var numprocs = section.Get("numprocs") is { } np ? f.Integer(section, np, names, 1) ?? 1 : 1;
        var start = section.Get("numprocs_start") is { } ns ? f.Integer(section, ns, names, 0) ?? 0 : 0;
        // Each copy is a service in memory: numprocs=2000000000 is a typo, not a wish; and
        // process_num must not pass int's end.
        if (numprocs > MaxProcesses || start > int.MaxValue - numprocs)
        {
            f.Error((section.Get("numprocs") ?? section.Get("numprocs_start"))!.Where, $"{section.Name}.numprocs",
                $"at most {MaxProcesses} processes, numbered below {int.MaxValue}");
            incomplete.Add(program);
            return specs;
        }
        var processName = section.Get("process_name");
        if (numprocs > 1 && processName?.Value.Contains("%(process_num)", StringComparison.Ordinal) != true)
            f.Error((processName ?? section.Get("numprocs"))!.Where, $"{section.Name}.process_name",
                "with numprocs > 1, process_name must contain %(process_num)s (e.g. %(program_name)s_%(process_num)02d), so that each copy has its own name");
        for (var num = start; num < start + numprocs; num++)
        {
            var n = names.Copy().With("process_num", num).With("numprocs", numprocs);
            var name = processName is null ? program : f.Text(section, processName, n) ?? program;
            if (!YamlConfigReader.ServiceName().IsMatch(name))
            {
                f.Error(processName?.Where ?? section.Where, $"{section.Name}.process_name",
                    $"'{name}' is not a valid process name (a letter or digit, then letters, digits, '_', '.', '-')");
                incomplete.Add(name);
                continue;
            }
            var before = f.ErrorCount;
            var spec = ReadProcess(section, name, groups, groupPriority, defaults, n.With("process_name", name), f);
            if (listener) spec = ReadListener(section, program, spec, n.With("process_name", name), f);
            specs.Add(spec);
            if (f.ErrorCount > before) incomplete.Add(name);
        }
        if (f.ErrorCount > errors) incomplete.UnionWith(specs.Select(s => s.Name));
        return specs;
    }

    static ServiceSpec ReadProcess(IniSection section, string name, ImmutableArray<string> groups, int? groupPriority,
        ProgramDefaults defaults, IniExpansion.Names n, IniFields f)
    {
        var spec = new ServiceSpec
        {
            Name = name,
            Command = [],
            Restart = RestartPolicy.OnFailure,
            StartSeconds = TimeSpan.FromSeconds(1),
            StartRetries = 3,
            Priority = groupPriority ?? 999,
            MemberOf = [.. groups.Where(g => g != name)],
            User = defaults.User,
            Umask = defaults.Umask,
            Environment =
            [
                .. defaults.Environment,
                new("SUPERVISOR_ENABLED", "1"),
                new("SUPERVISOR_PROCESS_NAME", name),
                new("SUPERVISOR_GROUP_NAME", groups[0]),
            ],
            Where = section.Where,
        };
        var stopSignal = StopSpec.Default.Signal;
        var stopWait = TimeSpan.FromSeconds(10);
        IniEntry? command = null;
        foreach (var e in section.Entries)
        {
            var field = IniFields.Field(section, e);
            switch (e.Key)
            {
                case "command":
                    command = e;
                    if (f.Text(section, e, n) is not { } text) break;
                    if (!ShellWords.TrySplit(text, out var words, out var error)) f.Error(e.Where, field, error);
                    else if (words.IsEmpty) f.Error(e.Where, field, "the command is empty");
                    else spec = spec with { Command = words };
                    break;
                case "priority":
                    if (f.Integer(section, e, n, int.MinValue) is { } priority) spec = spec with { Priority = priority };
                    break;
                case "autostart":
                    if (f.Boolean(section, e, n) is { } autostart) spec = spec with { AutoStart = autostart };
                    break;
                case "startsecs":
                    if (f.Integer(section, e, n, 0) is { } secs) spec = spec with { StartSeconds = TimeSpan.FromSeconds(secs) };
                    break;
                case "startretries":
                    if (f.Integer(section, e, n, 0) is { } retries) spec = spec with { StartRetries = retries };
                    break;
                case "autorestart":
                    if (f.Text(section, e, n) is not { } restart) break;
                    RestartPolicy? policy = restart.Trim().ToLowerInvariant() switch
                    {
                        "true" or "yes" or "on" or "1" => RestartPolicy.Always,
                        "false" or "no" or "off" or "0" => RestartPolicy.Never,
                        "unexpected" => RestartPolicy.OnFailure,
                        _ => null,
                    };
                    if (policy is null) f.Error(e.Where, field, $"expected true, false or unexpected, got '{restart}'");
                    else spec = spec with { Restart = policy };
                    break;
                case "exitcodes":
                    if (f.Text(section, e, n) is not { } codes) break;
                    var parsed = codes.Split(',').Select(c => int.TryParse(c.Trim(), out var code) && code is >= 0 and <= 255 ? code : -1).ToList();
                    if (parsed.Contains(-1)) f.Error(e.Where, field, $"expected exit codes from 0 to 255 separated by commas (0,2), got '{codes}'");
                    else spec = spec with { SuccessExitCodes = [.. parsed] };
                    break;
                case "stopsignal":
                    if (f.Signal(section, e, n) is { } signal) stopSignal = signal;
                    break;
                case "stopwaitsecs":
                    if (f.Integer(section, e, n, 0) is { } wait) stopWait = TimeSpan.FromSeconds(wait);
                    break;
                case "stopasgroup" or "killasgroup":
                    // Corral always signals the whole process group; false cannot be honoured, and is harmless.
                    f.Boolean(section, e, n);
                    break;
                case "user":
                    if (f.Text(section, e, n) is { } user) spec = spec with { User = user.Trim() };
                    break;
                case "directory":
                    if (f.Text(section, e, n) is { } directory) spec = spec with { WorkingDir = directory };
                    break;
                case "umask":
                    if (f.Octal(section, e, n) is { } umask) spec = spec with { Umask = umask };
                    break;
                case "environment":
                    if (f.Environment(section, e, n) is { } env) spec = spec with { Environment = spec.Environment.AddRange(env) };
                    break;
                case "serverurl":
                    // supervisord's SUPERVISOR_SERVER_URL for this program (AUTO: the [unix_http_server] or [inet_http_server] one).
                    if (f.Text(section, e, n) is { } url && !url.Trim().Equals("AUTO", StringComparison.OrdinalIgnoreCase))
                        spec = spec with { Environment = spec.Environment.Add(new("SUPERVISOR_SERVER_URL", url.Trim())) };
                    break;
                case "stdout_capture_maxbytes" or "stderr_capture_maxbytes":
                    if (f.ByteSize(section, e, n) is > 0) f.NotImplemented(section, e, "process communication event capture mode");
                    break;
                case "stdout_events_enabled":
                    if (f.Boolean(section, e, n) is { } outEvents) spec = spec with { StdoutEvents = outEvents };
                    break;
                case "stderr_events_enabled":
                    if (f.Boolean(section, e, n) is { } errEvents) spec = spec with { StderrEvents = errEvents };
                    break;
                case "stdout_syslog" or "stderr_syslog":
                    if (f.Boolean(section, e, n) == true) f.NotImplemented(section, e, "the lines are not sent to syslog");
                    break;
            }
        }
        if (command is null) f.Error(section.Where, $"{section.Name}.command", "missing 'command', the program to run");
        return spec with { Stop = new StopSpec(stopSignal, stopWait), Logs = ReadLogs(section, n, f) };
    }

    /// <summary>
    /// [eventlistener:x]: events (required, supervisord's type names), buffer_size (default 10),
    /// result_handler (only supervisord's default, which Corral implements), priority -1 by
    /// default so that listeners start first and stop last. stdout is the protocol's pipe:
    /// redirect_stderr would mix the two and is refused, as supervisord refuses it.
    /// </summary>
    static ServiceSpec ReadListener(IniSection section, string pool, ServiceSpec spec, IniExpansion.Names n, IniFields f)
    {
        if (section.Get("priority") is null) spec = spec with { Priority = -1 };
        var events = ImmutableArray<string>.Empty;
        if (section.Get("events") is not { } eventsEntry)
            f.Error(section.Where, $"{section.Name}.events", "an event listener needs 'events = TYPE, …' (PROCESS_STATE, TICK_60 …)");
        else if (f.Text(section, eventsEntry, n) is { } text)
        {
            var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToUpperInvariant()).Distinct().ToList();
            foreach (var unknown in names.Where(t => !Supervision.Events.EventTypes.IsKnown(t)))
                f.Error(eventsEntry.Where, IniFields.Field(section, eventsEntry), $"unknown event type {unknown}");
            if (names.Count == 0) f.Error(eventsEntry.Where, IniFields.Field(section, eventsEntry), "expected event types (PROCESS_STATE, TICK_60 …)");
            foreach (var t in names.Where(t => t.StartsWith("PROCESS_COMMUNICATION", StringComparison.Ordinal) || t == "REMOTE_COMMUNICATION"))
                f.Warn(eventsEntry.Where, IniFields.Field(section, eventsEntry), $"not implemented by Corral: {t} events are never sent");
            events = [.. names.Where(Supervision.Events.EventTypes.IsKnown)];
        }
        var bufferSize = 10;
        if (section.Get("buffer_size") is { } b && f.Integer(section, b, n, 1) is { } size) bufferSize = size;
        if (section.Get("result_handler") is { } handler && f.Text(section, handler, n) is { } h && h.Trim() != DefaultResultHandler)
            f.NotImplemented(section, handler, $"results are handled as {DefaultResultHandler} does: OK accepts, anything else rejects");
        if (section.Get("redirect_stderr") is { } redirect && f.Boolean(section, redirect, n) == true)
            f.Error(redirect.Where, IniFields.Field(section, redirect), "an event listener cannot redirect stderr: its stdout is the event listener protocol (supervisord refuses it too)");
        if (section.Get("stdout_logfile") is { } stdoutLog && f.Text(section, stdoutLog, n) is { } path && !path.Trim().Equals("AUTO", System.StringComparison.OrdinalIgnoreCase) && !path.Trim().Equals("NONE", StringComparison.OrdinalIgnoreCase))
            f.Warn(stdoutLog.Where, IniFields.Field(section, stdoutLog), "ignored: an event listener's stdout is the protocol, Corral does not log it");
        return spec with
        {
            Listener = new ListenerSpec(pool, events, bufferSize),
            Logs = spec.Logs with { Stdout = LogTarget.Discard },
        };
    }

    static LogSpec ReadLogs(IniSection section, IniExpansion.Names n, IniFields f)
    {
        var redirect = section.Get("redirect_stderr") is { } r && f.Boolean(section, r, n) == true;
        var stdout = ReadTarget(section, "stdout", n, f);
        LogTarget stderr;
        if (redirect)
        {
            if (section.Get("stderr_logfile") is { } ignored)
                f.Warn(ignored.Where, IniFields.Field(section, ignored), "ignored: redirect_stderr=true sends stderr where stdout goes, as in supervisord");
            stderr = stdout;
        }
        else stderr = ReadTarget(section, "stderr", n, f);
        // supervisord writes a program's lines as they are, without a name in front.
        return new LogSpec(false, stdout, stderr, null);
    }

    static readonly string[] stdoutDevices = ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];
    static readonly string[] stderrDevices = ["/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"];

    /// <summary>
    /// stdout_logfile and its maxbytes/backups: AUTO (the default) and the /dev/stdout idiom go
    /// to Corral's own output (Corral has no child log directory, and never seeks a pipe, so
    /// maxbytes means nothing there); NONE discards; a path is a file rotated at maxbytes.
    /// </summary>
    static LogTarget ReadTarget(IniSection section, string stream, IniExpansion.Names n, IniFields f)
    {
        var entry = section.Get(stream + "_logfile");
        var maxBytes = section.Get(stream + "_logfile_maxbytes") is { } m ? f.ByteSize(section, m, n) ?? DefaultLogMaxBytes : DefaultLogMaxBytes;
        var backups = section.Get(stream + "_logfile_backups") is { } b ? f.Integer(section, b, n, 0) ?? DefaultLogBackups : DefaultLogBackups;
        if (entry is null || f.Text(section, entry, n) is not { } value) return LogTarget.Inherit;
        var path = value.Trim();
        if (path.Equals("AUTO", StringComparison.OrdinalIgnoreCase)) return LogTarget.Inherit;
        if (path.Equals("NONE", StringComparison.OrdinalIgnoreCase)) return LogTarget.Discard;
        var own = stream == "stdout" ? stdoutDevices : stderrDevices;
        var other = stream == "stdout" ? stderrDevices : stdoutDevices;
        if (own.Contains(path)) return LogTarget.Inherit;
        if (other.Contains(path))
        {
            f.Warn(entry.Where, IniFields.Field(section, entry),
                $"Corral writes a program's {stream} to its own {stream}, not to {path} (use {stream}_logfile={own[0]} to say so)");
            return LogTarget.Inherit;
        }
        if (path.Length == 0)
        {
            f.Error(entry.Where, IniFields.Field(section, entry), "expected a path, AUTO or NONE");
            return LogTarget.Inherit;
        }
        return new LogTarget(LogTargetKind.File, path, maxBytes, backups);
    }
}
