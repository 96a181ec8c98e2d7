using System.Text;
using System.Text.Json;
using Corral.Control;
using Corral.Core.Config.Argv;
using Corral.Core.Model;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using Corral.Os.Logging;

namespace Corral.Cli;

/// <summary>
/// <c>corral ctl VERB …</c>: talks to a running <c>corral run</c> through its control socket.
/// Exit codes are for scripts: 0 done, 1 refused or failed (unknown service, broken config on
/// reload, a service that cannot become ready), 2 wrong usage, 3 `status`: some service is not
/// as it should be, 4 Corral cannot be reached, 124 `wait` timed out.
/// </summary>
public static class CtlCommand
{
    public const int Ok = 0, Failed = 1, BadUsage = 2, NotAllUp = 3, Unreachable = 4, TimedOut = 124;

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var read = CtlArgs.Read(args);
        if (read.Message is { } message)
        {
            StdIo.Out(message.Stdout);
            StdIo.Err(message.Stderr);
            return message.Code;
        }
        var request = read.Spec!;
        var (socket, config, url, verb) = (request.Socket, request.Config, request.Url, request.Verb);
        var credentials = request.User ?? env.GetValueOrDefault("CORRAL_CTL_USER");
        var path = ControlSocket.Find(socket, env, socket is null && !env.ContainsKey("CORRAL_SOCKET") ? SocketFromConfig(config, env) : null);
        if (url is null && !File.Exists(path))
        {
            StdIo.Err($"corral ctl: no control socket at {path}: is corral run running? (--socket, $CORRAL_SOCKET)\n");
            return Unreachable;
        }
        using var client = new ControlClient(path, url, credentials);
        try
        {
            return verb switch
            {
                "status" => Status(client, request),
                "start" or "stop" or "restart" => Act(client, verb, request.Names),
                "signal" => Signal(client, request),
                "logs" when request.Reopen => Simple(client, "v1/logs/reopen"),
                "logs" => Logs(client, request),
                "wait" => Wait(client, request),
                "scale" => Simple(client, $"v1/services/{Uri.EscapeDataString(request.Names[0])}/scale?replicas={request.Replicas}"),
                "reload" => Simple(client, "v1/reload"),
                "shutdown" => Simple(client, "v1/shutdown"),
                _ => UsageError($"unknown verb '{verb}'"),
            };
        }
        catch (ControlUnreachableException e)
        {
            StdIo.Err($"corral ctl: {e.Message}\n");
            return Unreachable;
        }
    }

    static string? SocketFromConfig(string? config, IReadOnlyDictionary<string, string> env)
    {
        var file = config ?? env.GetValueOrDefault("CORRAL_CONFIG");
        if (string.IsNullOrEmpty(file) || !File.Exists(file)) return null;
        var (plan, _) = Config.ConfigFile.Load(file);
        return plan?.Config.Control.Socket;
    }

    static int Status(ControlClient client, CtlRequest request)
    {
        var (json, names) = (request.Json, request.Names);
        var response = client.Get("v1/status");
        if (response.Status != 200) return Refused(response);
        if (StatusOf(response) is not { } status) return Unreadable();
        var (services, unknown) = status.Pick(names);
        if (unknown.Count > 0)
        {
            StdIo.Err($"corral ctl: no such service or group: {string.Join(", ", unknown)}\n");
            return Failed;
        }
        if (json) StdIo.Out(Json(status with { Services = [.. services] }));
        else StdIo.Out(Table(services));
        // Healthy as Corral means it everywhere: Health.Problem, through ServiceStatus.Healthy.
        return services.All(s => s.Healthy) ? Ok : NotAllUp;
    }

    static SupervisorStatus? StatusOf(ApiResponse response) => response.Read(StatusJson.Default.SupervisorStatus);

    static int Unreadable()
    {
        StdIo.Err("corral ctl: Corral's answer is not a status this ctl can read (another version of Corral?)\n");
        return Failed;
    }

    /// <summary>The status in the one JSON form, indented as the API writes it.</summary>
    static string Json(SupervisorStatus status)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, JsonLines.Indented)) JsonSerializer.Serialize(w, status, StatusJson.Default.SupervisorStatus);
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    static string Table(List<ServiceStatus> services)
    {
        var rows = new List<string[]> { new[] { "NAME", "STATE", "PID", "UPTIME", "RESTARTS", "LAST EXIT", "READY", "INFO" } };
        foreach (var s in services)
        {
            var running = s.State == ServiceState.Running;
            rows.Add([
                s.Name, StateWord(s.State),
                s.Pid?.ToString() ?? "-", s.Pid is null ? "-" : Uptime(s.UptimeSeconds), s.Restarts.ToString(), s.LastExit?.Text ?? "-",
                running ? (s.Ready ? "yes" : "no") : "-", s.Reason ?? s.Status ?? ""]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var b = new StringBuilder();
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                if (c == row.Length - 1) b.Append(row[c]);
                else b.Append(row[c].PadRight(widths[c] + 2));
            }
            b.Append('\n');
        }
        return string.Join("\n", b.ToString().Split('\n').Select(l => l.TrimEnd()));
    }

    /// <summary>A state as the status JSON writes it: "running", "backoff".</summary>
    static string StateWord(ServiceState state) => state.ToString().ToLowerInvariant();

    static string Uptime(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        if (t.TotalDays >= 1) return $"{(int)t.TotalDays}d{t.Hours}h";
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours}h{t.Minutes}m";
        if (t.TotalMinutes >= 1) return $"{(int)t.TotalMinutes}m{t.Seconds}s";
        return $"{(int)t.TotalSeconds}s";
    }

    static int Act(ControlClient client, string verb, IReadOnlyList<string> names)
    {
        var escaped = Uri.EscapeDataString(string.Join(",", names));
        var response = client.Post($"v1/services/{escaped}/{verb}");
        if (verb == "stop" || response.Status >= 300) return Report(response);
        // As supervisorctl does, start and restart end once the services run again, with
        // their new pids; a oneshot ends when it has completed.
        PrintMessages(response);
        var waited = client.Get($"v1/wait?for=running&timeout={StartWait.TotalSeconds}s&service={escaped}", StartWait + TimeSpan.FromSeconds(10));
        var status = client.Get("v1/status");
        if (status.Status == 200 && StatusOf(status) is { } now) PrintStates(now.Pick(names).Services);
        if (waited.Status == 200) return Ok;
        StdIo.Err($"corral ctl: {waited.Error}\n");
        return waited.Status == 504 ? TimedOut : Failed;
    }

    /// <summary>How long start and restart wait for the services to run.</summary>
    static readonly TimeSpan StartWait = TimeSpan.FromSeconds(60);

    static int Signal(ControlClient client, CtlRequest request)
    {
        var response = client.Post($"v1/services/{Uri.EscapeDataString(string.Join(",", request.Names))}/signal?signal={Uri.EscapeDataString(request.Signal!)}");
        return Report(response);
    }

    static int Simple(ControlClient client, string path)
    {
        return Report(client.Post(path));
    }

    /// <summary>Prints what Corral said doing it, and each named service's state; the exit code.</summary>
    static int Report(ApiResponse response)
    {
        if (response.Status >= 300) return Refused(response);
        if (PrintMessages(response) is { Services: { } services }) PrintStates(services);
        return Ok;
    }

    /// <summary>Prints what Corral said doing an action; the answer, null when unreadable.</summary>
    static ActionAnswer? PrintMessages(ApiResponse response)
    {
        var answer = response.Read(StatusJson.Default.ActionAnswer);
        foreach (var m in answer?.Messages ?? []) StdIo.Out($"{m}\n");
        return answer;
    }

    static void PrintStates(IEnumerable<ServiceStatus> services)
    {
        foreach (var s in services) StdIo.Out($"{s.Name}: {StateWord(s.State)}{(s.Pid is { } pid ? $" (pid {pid})" : "")}\n");
    }

    static int Refused(ApiResponse response)
    {
        StdIo.Err($"corral ctl: {response.Error}\n");
        if (response.Json is { } j && j.ValueKind == JsonValueKind.Object && j.TryGetProperty("details", out var details))
            foreach (var d in details.EnumerateArray()) StdIo.Err($"  {d.GetString()}\n");
        return Failed;
    }

    static int Logs(ControlClient client, CtlRequest request)
    {
        var (follow, json, n, names) = (request.Follow, request.Json, request.Lines, request.Names);
        var query = $"v1/logs?n={n}{(follow ? "&follow=true" : "")}{(json ? "&format=json" : "")}" +
            (names.Count > 0 ? $"&service={Uri.EscapeDataString(string.Join(",", names))}" : "");
        if (!follow)
        {
            var response = client.Get(query);
            if (response.Status != 200) return Refused(response);
            StdIo.Out(response.Body);
            return Ok;
        }
        using var cancel = new CancellationTokenSource();
        var refused = client.Stream(query, line => StdIo.Out(line + "\n"), cancel.Token);
        return refused is null ? Ok : Refused(refused);
    }

    static int Wait(ControlClient client, CtlRequest request)
    {
        var (condition, timeout, limit, names) = (request.Condition, request.Timeout, request.TimeoutLimit, request.Names);
        var query = $"v1/wait?for={condition}&timeout={Uri.EscapeDataString(timeout)}" +
            (names.Count > 0 && !names.Contains("all") ? $"&service={Uri.EscapeDataString(string.Join(",", names))}" : "");
        var response = client.Get(query, limit + TimeSpan.FromSeconds(10));
        if (response.Status == 200)
        {
            if (response.Json is { } j && j.TryGetProperty("message", out var m)) StdIo.Out($"{m.GetString()}\n");
            return Ok;
        }
        StdIo.Err($"corral ctl: {response.Error}\n");
        return response.Status == 504 ? TimedOut : Failed;
    }

    static int UsageError(string message)
    {
        StdIo.Err($"corral ctl: {message}\n\n{CtlArgs.Usage}");
        return BadUsage;
    }
}
