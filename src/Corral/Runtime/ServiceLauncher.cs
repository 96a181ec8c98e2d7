using Corral.Core.Config;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using System.Text.RegularExpressions;
using Corral.Core.Supervision.Services;
using Corral.Os.Logging;
using Corral.Os.Probes;
using Corral.Os.Files;
using Corral.Os.Native;
using Corral.Os.Pid1;
using Corral.Os.Spawning;

namespace Corral.Runtime;

/// <summary>
/// Turns a service's spec into a spawn: argv (through <c>/bin/sh -c</c> for shell commands, and
/// through <c>corral exec</c> when identity, umask or limits must be set), environment, working
/// directory, and its stdout/stderr wired to the log pump, a file, or /dev/null. stdin is
/// /dev/null: services do not read Corral's terminal.
/// </summary>
public sealed class ServiceLauncher(string configDirectory, string runDirectory, LogPump pump, LogFiles files, LogStyle style, Action<SupervisorEvent> post)
{
    // Readiness channels have a poll thread of their own, which never writes output: a stdout
    // nobody reads may hold up the log pump, never READY=1 or WATCHDOG=1.
    readonly LogPump notifications = new();

    readonly int devNull = Descriptors.OpenRead("/dev/null");
    readonly int devNullWrite = Descriptors.OpenForAppend("/dev/null");
    readonly Dictionary<string, NotifySocket> notifySockets = new(StringComparer.Ordinal);

    /// <summary>An event listener's process started: (service, pid, the write end of its stdin, non-blocking). Its stdout comes as <see cref="ListenerOutput"/>.</summary>
    public Action<string, int, int>? ListenerStarted { get; set; }

    /// <summary>Descriptors no service may take: Corral's control server, probes and log files need them.</summary>
    public const int Reserve = 32;

    /// <summary>Spawns the service; on failure, Error says why in words.</summary>
    public (SpawnResult Result, string? Error) Launch(ServiceSpec spec)
    {
        // Corral keeps descriptors for itself (control requests, probes, log files): a service that
        // would take the last of them does not start, with the reason, and is retried.
        if (Descriptors.FreeAtMost() is var free and < Reserve)
            return (new SpawnResult(0, Errno.EMFILE), $"too many open files (at most {free} left under the limit of {Descriptors.Limit().Soft}; Corral keeps {Reserve} for itself)");
        // Its name, by which Corral finds the processes that leave its process group (Strays).
        var extra = new List<string> { $"{Strays.Variable}={spec.Name}" };
        if (spec.Ready is { Kind: ReadinessKind.Notify })
        {
            var socket = NotifySocketFor(spec, out var socketError);
            if (socket is null) return (new SpawnResult(0, Errno.EIO), socketError);
            extra.Add($"NOTIFY_SOCKET={socket.Path}");
        }
        if (spec.Watchdog is { } watchdog) extra.Add($"WATCHDOG_USEC={(long)watchdog.TotalMicroseconds}");
        var workingDirectory = spec.WorkingDir is { } wd ? Path.GetFullPath(Path.Combine(configDirectory, wd)) : null;
        // posix_spawn reports a missing directory as ENOENT, just like a missing program: say which.
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
            return (new SpawnResult(0, Errno.ENOENT), $"working_dir '{workingDirectory}' does not exist");
        var env = BuildEnvironment(spec, extra, out var envError);
        if (envError is not null) return (new SpawnResult(0, Errno.ENOENT), envError);

        // s6's readiness: the service writes a newline to this descriptor.
        var (notifyRead, notifyWrite) = (-1, -1);
        if (spec.Ready is { Kind: ReadinessKind.NotifyFd })
        {
            var (r, w, errno) = Pipes.Create();
            if (errno != 0) return (new SpawnResult(0, errno), $"cannot create the notification pipe: {Errno.Describe(errno)}");
            (notifyRead, notifyWrite) = (r, w);
        }

        var toClose = new List<int>();
        // A pipeline's ends (s6's log/, producer-for) are Corral's for good, never in toClose.
        var (stdinFd, pipeError) = spec.ReadsPipe ? PipelineEnd(spec.Name, read: true) : (devNull, null);
        var (outFd, outPipe, outFile, outError) = spec.StdoutTo is { } consumer
            ? PipelineEnd(consumer, read: false) is var (pipeWrite, endError) ? (pipeWrite, -1, null, endError) : default
            : OpenStream(spec.Logs.Stdout, toClose);
        outError ??= pipeError;
        var (errFd, errPipe, errFile, errError) = OpenStream(spec.Logs.Stderr, toClose);
        if (notifyWrite >= 0) toClose.Add(notifyWrite);
        // An event listener's stdin and stdout are supervisord's listener protocol, not a log.
        var (listenIn, listenOut, childStdin) = (-1, -1, stdinFd);
        string? listenerError = null;
        if (spec.Listener is not null)
        {
            var (inRead, inWrite, inErrno) = Pipes.CreateToChild();
            var (outRead, outWrite, outErrno) = inErrno == 0 ? Pipes.Create() : (-1, -1, 0);
            if (inErrno != 0 || outErrno != 0)
            {
                Descriptors.Close(inRead);
                Descriptors.Close(inWrite);
                listenerError = $"cannot create the event listener's pipes: {Errno.Describe(inErrno != 0 ? inErrno : outErrno)}";
            }
            else
            {
                toClose.Add(inRead);
                toClose.Add(outWrite);
                Descriptors.Close(outPipe);
                (listenIn, listenOut, childStdin, outPipe, outFd) = (inWrite, outRead, inRead, -1, outWrite);
            }
        }
        if ((outError ?? errError ?? listenerError) is { } streamError)
        {
            foreach (var fd in toClose) Descriptors.Close(fd);
            Descriptors.Close(outPipe);
            Descriptors.Close(errPipe);
            Descriptors.Close(notifyRead);
            Descriptors.Close(listenIn);
            Descriptors.Close(listenOut);
            return (new SpawnResult(0, Errno.EIO), streamError);
        }

        List<(int, int)> fds = [(childStdin, 0), (outFd, 1), (errFd, 2)];
        // Last, so that no later dup2 can overwrite it.
        if (notifyWrite >= 0) fds.Add((notifyWrite, spec.Ready!.Fd));
        var result = Spawner.Spawn(new SpawnRequest(Argv(spec))
        {
            Environment = env,
            WorkingDirectory = workingDirectory,
            Grouping = ProcessGrouping.NewGroup,
            FileDescriptors = fds,
        });
        foreach (var fd in toClose) Descriptors.Close(fd);
        if (!result.Succeeded)
        {
            Descriptors.Close(outPipe);
            Descriptors.Close(errPipe);
            Descriptors.Close(notifyRead);
            Descriptors.Close(listenIn);
            Descriptors.Close(listenOut);
            return (result, $"'{Argv(spec)[0]}': {Errno.Describe(result.Errno)}");
        }
        if (listenIn >= 0)
        {
            var (name, pid) = (spec.Name, result.Pid);
            ListenerStarted?.Invoke(name, pid, listenIn);
            notifications.Watch(listenOut, data => post(new ListenerOutput(name, pid, data.ToArray())));
        }
        try
        {
            Watch(spec, result.Pid, notifyRead, (outPipe, outFile, spec.Logs.Stdout), (errPipe, errFile, spec.Logs.Stderr));
        }
        catch (Exception e) when (e is ArgumentException or IOException or RegexParseException)
        {
            // The process runs: report it, with what could not be wired.
            var why = e is RegexParseException ? "its ready.log_line is not a valid pattern" : Os.Logging.Problems.Describe(e);
            // Not relayed, so not kept open: the service gets EPIPE instead of a pipe that fills up.
            if (!held.ContainsKey(result.Pid))
            {
                Descriptors.Close(outPipe);
                Descriptors.Close(errPipe);
            }
            return (result, $"started, but its output or readiness could not be watched ({why}); restart it with corral ctl restart");
        }
        return (result, null);
    }

    void Watch(ServiceSpec spec, int pid, int notifyRead, (int Pipe, LogFile? File, LogTarget Target) stdoutTo, (int Pipe, LogFile? File, LogTarget Target) stderrTo)
    {
        var (outPipe, errPipe) = (stdoutTo.Pipe, stderrTo.Pipe);
        var name = spec.Name;
        if (notifyRead >= 0)
            notifications.Watch(notifyRead, data =>
            {
                if (data.IndexOf((byte)'\n') >= 0) post(new Notified(name, pid, NotifyKind.Ready));
            });
        Func<string, bool>? watch = null;
        if (spec.Ready is { Kind: ReadinessKind.LogLine, Pattern: { } pattern })
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            watch = line =>
            {
                if (!regex.IsMatch(line)) return false;
                post(new Notified(name, pid, NotifyKind.Ready));
                return true;
            };
        }
        LogSource? Source((int Pipe, LogFile? File, LogTarget Target) to, string stream, int fd)
        {
            if (to.Pipe < 0) return null;
            var source = style.Source(spec, stream, fd) with { Watch = watch, File = to.File, Relayed = to.File is null || to.Target.AlsoInherit, Pid = pid };
            // supervisord's stdout_events_enabled / stderr_events_enabled: each batch read is a PROCESS_LOG event.
            if (stream == "stdout" ? spec.StdoutEvents : spec.StderrEvents)
            {
                var ring = source.Tap;
                var stderr = stream == "stderr";
                source = source with
                {
                    Tap = data =>
                    {
                        ring?.Invoke(data);
                        post(new ProcessLogged(name, pid, stderr, data.ToArray()));
                    },
                };
            }
            return source;
        }
        var stdout = Source(stdoutTo, "stdout", Descriptors.StandardOutput);
        var stderr = Source(stderrTo, "stderr", Descriptors.StandardError);
        held[pid] = () =>
        {
            if (stdout is not null) pump.Add(outPipe, stdout);
            if (stderr is not null) pump.Add(errPipe, stderr);
        };
    }

    /// <summary>The pipe of each pipeline, by its consumer's name: created at the first launch of either end, kept open.</summary>
    readonly Dictionary<string, (int Read, int Write)> pipelines = new(StringComparer.Ordinal);

    /// <summary>One end of the pipeline that ends at consumer (the read end for the consumer itself); or why not.</summary>
    (int Fd, string? Error) PipelineEnd(string consumer, bool read)
    {
        if (!pipelines.TryGetValue(consumer, out var pipe))
        {
            var (r, w, errno) = Pipes.Create();
            if (errno != 0) return (-1, $"cannot create the pipe to '{consumer}': {Errno.Describe(errno)}");
            pipelines[consumer] = pipe = (r, w);
        }
        return (read ? pipe.Read : pipe.Write, null);
    }

    /// <summary>Output pipes of spawned processes, not yet relayed (see <see cref="Relay"/>).</summary>
    readonly Dictionary<int, Action> held = [];

    /// <summary>
    /// Starts relaying a new process's output. The loop calls this once it has said
    /// "started (pid N)", so that line always comes before the service's first line: both go
    /// through the pump's one ordered queue. Until then the output waits in the pipe.
    /// </summary>
    public void Relay(int pid)
    {
        if (held.Remove(pid, out var start)) start();
    }

    /// <summary>The service's sd_notify socket, made once and watched for good.</summary>
    NotifySocket? NotifySocketFor(ServiceSpec spec, out string? error)
    {
        error = null;
        if (notifySockets.TryGetValue(spec.Name, out var existing)) return existing;
        var socket = NotifySocket.Bind(Path.Combine(runDirectory, $"notify-{spec.Name}.sock"), out error);
        if (socket is null) return null;
        notifySockets[spec.Name] = socket;
        var name = spec.Name;
        notifications.WatchDatagrams(socket.Fd, data =>
        {
            foreach (var (key, value) in NotifySocket.Parse(data))
            {
                var kind = key switch
                {
                    "READY" when value == "1" => NotifyKind.Ready,
                    "STATUS" => NotifyKind.Status,
                    "STOPPING" when value == "1" => NotifyKind.Stopping,
                    "WATCHDOG" when value == "1" => NotifyKind.Watchdog,
                    "MAINPID" => NotifyKind.MainPid,
                    _ => (NotifyKind?)null,
                };
                if (kind is NotifyKind.MainPid && !(int.TryParse(value, out var main) && Os.Pid1.ProcessTable.IsDescendant(main, Os.Pid1.ProcessIdentity.Pid)))
                {
                    // Only a process Corral will reap can be the main process: otherwise its end would never be seen.
                    style.Say(new Log(LogLevel.Warning, name, $"ignored MAINPID={value}: not a process started under Corral"));
                    continue;
                }
                // The group of the process MAINPID= names decides whether signals must reach it on their own.
                if (kind is { } k) post(new Notified(name, 0, k, value, k == NotifyKind.MainPid ? Os.Signals.Kill.GroupOf(int.Parse(value)) : 0));
            }
        });
        return socket;
    }

    /// <summary>
    /// (the child's fd, Corral's read end or -1, the file the pump writes or null, error).
    /// Child-side fds are added to toClose. A plain file is the child's own descriptor (nothing
    /// in between, the cheapest); one with rotation or a copy to Corral's output is a pipe whose
    /// lines the pump writes. A file that cannot be opened goes through the pump as well, which
    /// says why once and drops (and counts) its lines: the service runs all the same.
    /// </summary>
    (int ChildFd, int PipeRead, LogFile? File, string? Error) OpenStream(LogTarget target, List<int> toClose)
    {
        LogFile? file = null;
        switch (target.Kind)
        {
            case LogTargetKind.Discard:
                return (devNullWrite, -1, null, null);
            case LogTargetKind.File:
                var path = Path.GetFullPath(Path.Combine(configDirectory, target.Path!));
                if (target.MaxBytes <= 0 && !target.AlsoInherit)
                {
                    var fd = Descriptors.OpenForAppend(path);
                    if (fd >= 0)
                    {
                        toClose.Add(fd);
                        return (fd, -1, null, null);
                    }
                }
                file = new LogFile(path, Math.Max(0, target.MaxBytes), Math.Max(0, target.Backups));
                break;
        }
        var (read, write, errno) = Pipes.Create();
        if (errno != 0) return (-1, -1, null, $"cannot create a pipe: {Errno.Describe(errno)}");
        toClose.Add(write);
        return (write, read, file, null);
    }

    /// <summary>Closes and reopens every log file the pump writes (a file that is the process's own descriptor stays as it is).</summary>
    public void ReopenLogs() => files.ReopenAll();

    /// <summary>The command, through the shell and through <c>corral exec</c> as needed.</summary>
    public static IReadOnlyList<string> Argv(ServiceSpec spec)
    {
        IReadOnlyList<string> argv = spec.Shell ? ["/bin/sh", "-c", spec.Command[0]] : spec.Command;
        if (spec.User is null && spec.Group is null && spec.Umask is null && spec.Limits.IsEmpty) return argv;
        var chain = new List<string> { Environment.ProcessPath ?? "/proc/self/exe", "exec" };
        if (spec.User is not null) chain.AddRange(["--user", spec.User]);
        if (spec.Group is not null) chain.AddRange(["--group", spec.Group]);
        if (spec.Umask is { } mask) chain.AddRange(["--umask", Convert.ToString(mask, 8)]);
        foreach (var l in spec.Limits) chain.AddRange(["--rlimit", $"{l.Resource}={Limit(l.Soft)}:{Limit(l.Hard)}"]);
        chain.Add("--");
        chain.AddRange(argv);
        return chain;
    }

    static string Limit(ulong v) => v == ResourceLimit.Unlimited ? "unlimited" : v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Corral's environment (unless inherit_env is false), then env files, then environment.</summary>
    List<string>? BuildEnvironment(ServiceSpec spec, List<string> extra, out string? error)
    {
        error = null;
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string key, string value)
        {
            if (!values.ContainsKey(key)) order.Add(key);
            values[key] = value;
        }
        if (spec.InheritEnv)
            foreach (var entry in ProcessEnvironment.Snapshot())
            {
                var eq = entry.IndexOf('=');
                if (eq > 0) Set(entry[..eq], entry[(eq + 1)..]);
            }
        foreach (var file in spec.EnvFiles)
        {
            var path = Path.Combine(configDirectory, file);
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"cannot read env_file '{path}': {Problems.Describe(e)}";
                return null;
            }
            var (pairs, diagnostics) = Dotenv.Parse(text, path);
            if (diagnostics.FirstOrDefault(d => d.Severity == Severity.Error) is { } bad)
            {
                error = bad.ToString();
                return null;
            }
            foreach (var (k, v) in pairs) Set(k, v);
        }
        foreach (var (k, v) in spec.Environment) Set(k, v);
        foreach (var entry in extra)
        {
            var eq = entry.IndexOf('=');
            Set(entry[..eq], entry[(eq + 1)..]);
        }
        return [.. order.Select(k => $"{k}={values[k]}")];
    }
}
