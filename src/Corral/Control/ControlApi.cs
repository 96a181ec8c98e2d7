using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using Corral.Os.Logging;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using Microsoft.AspNetCore.Http;

namespace Corral.Control;

/// <summary>
/// The HTTP API, version 1, as Kestrel's one request handler. Requests that read or change the
/// supervisor are posted to the event loop and answered from there; this class only parses the
/// request, checks credentials on TCP, and writes JSON (or Prometheus text, or log lines).
/// Every malformed request gets a 4xx with a JSON error and reaches nothing else.
/// </summary>
/// <param name="post">Puts an event on the loop's queue.</param>
/// <param name="tcp">Credentials required on TCP connections (null: no TCP listener).</param>
public sealed class ControlApi(Action<SupervisorEvent> post, LogRing logs, TcpListen? tcp)
{
    static readonly TimeSpan LoopTimeout = TimeSpan.FromSeconds(30);
    const string Streaming = "corral.streaming";

    internal ControlServer? Server { get; set; }

    SupervisordRpc? rpc;

    /// <summary>supervisord's XML-RPC and log streams, for the real supervisorctl (docs/supervisorctl.md).</summary>
    SupervisordRpc Rpc => rpc ??= new SupervisordRpc(Ask, logs, () => Server);

    Task Logtail(HttpContext ctx, string? name, string stream) => Rpc.Logtail(ctx, name, stream, () =>
    {
        ctx.Items[Streaming] = true;
        Server?.RequestStreaming();
    });

    public async Task Handle(HttpContext ctx)
    {
        Server?.RequestStarted();
        try
        {
            if (!Authorized(ctx))
            {
                ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"corral\"";
                await Error(ctx, 401, "credentials required");
                return;
            }
            await Route(ctx);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a follower pressed Ctrl-C): nothing to answer.
        }
        catch (BadHttpRequestException e)
        {
            if (!ctx.Response.HasStarted) await Error(ctx, e.StatusCode, e.Message);
        }
        catch (TimeoutException)
        {
            if (!ctx.Response.HasStarted) await Error(ctx, 503, $"corral did not answer within {Durations.Format(LoopTimeout)}");
        }
        catch (Exception e)
        {
            if (!ctx.Response.HasStarted) await Error(ctx, 500, $"internal error: {Problems.Internal(e)}");
        }
        finally
        {
            Server?.RequestEnded(streamed: ctx.Items.ContainsKey(Streaming));
        }
    }

    Task Route(HttpContext ctx)
    {
        var method = ctx.Request.Method;
        var path = (ctx.Request.Path.Value ?? "/").TrimEnd('/');
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (method, parts) switch
        {
            ("GET", []) or ("GET", ["v1"]) => Index(ctx),
            ("POST", ["RPC2"]) => Rpc.Handle(ctx),
            ("GET", ["logtail", var name]) => Logtail(ctx, name, "stdout"),
            ("GET", ["logtail", var name, "stdout" or "stderr"]) => Logtail(ctx, name, parts[2]),
            ("GET", ["mainlogtail"]) => Logtail(ctx, null, "stderr"),
            ("GET", ["metrics"]) => MetricsText(ctx),
            ("GET", ["v1", "status"]) => Status(ctx, null),
            ("GET", ["v1", "services"]) => Status(ctx, null),
            ("GET", ["v1", "services", var name]) => Status(ctx, name),
            ("POST", ["v1", "services", var names, "start"]) => Command(ctx, ControlVerb.Start, names),
            ("POST", ["v1", "services", var names, "stop"]) => Command(ctx, ControlVerb.Stop, names),
            ("POST", ["v1", "services", var names, "restart"]) => Command(ctx, ControlVerb.Restart, names),
            ("POST", ["v1", "services", var names, "signal"]) => SignalServices(ctx, names),
            ("POST", ["v1", "services", var name, "scale"]) => Scale(ctx, name),
            ("GET", ["v1", "logs"]) => Logs(ctx),
            ("POST", ["v1", "logs", "reopen"]) => Simple(ctx, new ReopenLogsCommand()),
            ("GET", ["v1", "wait"]) => Wait(ctx),
            ("GET", ["v1", "health"]) => HealthCheck(ctx),
            ("POST", ["v1", "reload"]) => Simple(ctx, new ReloadCommand()),
            ("POST", ["v1", "shutdown"]) => Simple(ctx, new ShutdownCommand()),
            (_, ["v1", ..] or ["metrics"] or []) when Known(parts) => NotAllowed(ctx, method, path, parts),
            _ => Error(ctx, 404, $"no such endpoint: {method} {ctx.Request.Path.Value} (GET /v1 lists them)"),
        };
    }

    static Task NotAllowed(HttpContext ctx, string method, string path, string[] parts)
    {
        ctx.Response.Headers.Allow = parts is ["v1", "reload" or "shutdown"] or ["v1", "services", _, _] ? "POST" : "GET";
        return Error(ctx, 405, $"{method} is not allowed on {path}");
    }

    static bool Known(string[] parts) => parts switch
    {
        [] or ["v1"] or ["metrics"] or ["v1", "status" or "services" or "logs" or "wait" or "health" or "reload" or "shutdown"] => true,
        ["v1", "services", _] or ["v1", "services", _, "start" or "stop" or "restart" or "signal" or "scale"] => true,
        _ => false,
    };

    static readonly string[] endpoints =
    [
        "GET /v1/status", "GET /v1/services/NAME", "POST /v1/services/NAME[,NAME…|all]/start|stop|restart",
        "POST /v1/services/NAME[,NAME…|all]/signal?signal=SIG", "GET /v1/logs?service=NAME[,NAME…]&n=N&follow=true&format=text|json",
        "GET /v1/wait?service=NAME[,NAME…]&for=ready|running|healthy|down&timeout=D", "GET /v1/health?service=NAME[,NAME…]",
        "POST /v1/reload", "POST /v1/shutdown", "POST /v1/logs/reopen", "GET /metrics",
    ];

    static Task Index(HttpContext ctx) => Json(ctx, 200, w =>
    {
        w.WriteString("name", "corral");
        w.WriteString("api", "v1");
        w.WriteStartArray("endpoints");
        foreach (var e in endpoints) w.WriteStringValue(e);
        w.WriteEndArray();
    });

    async Task Status(HttpContext ctx, string? name)
    {
        var reply = await Ask(new StatusRequest(), ctx);
        var snapshot = reply.Snapshot!;
        if (name is not null && snapshot.Service(name) is null)
        {
            await Error(ctx, 404, $"no such service: {name}");
            return;
        }
        var usage = Os.Pid1.ProcessStats.ByProcessGroup();
        if (name is not null) await Json(ctx, 200, new ServiceAnswer(WithUsage(snapshot.Service(name)!, usage)), StatusJson.Default.ServiceAnswer);
        else await Json(ctx, 200, snapshot with { Services = [.. snapshot.Services.Select(s => WithUsage(s, usage))] }, StatusJson.Default.SupervisorStatus);
    }

    /// <summary>The service with its process group's CPU time and memory, read from /proc now.</summary>
    static ServiceStatus WithUsage(ServiceStatus s, Dictionary<int, Os.Pid1.ProcessUsage> usage) =>
        s.ProcessGroup is { } group && usage.TryGetValue(group, out var u)
            ? s with { CpuSeconds = Math.Round(u.CpuSeconds, 2), MemoryBytes = u.ResidentBytes }
            : s;

    async Task Command(HttpContext ctx, ControlVerb verb, string names)
    {
        if (Names(names) is not { } list)
        {
            await Error(ctx, 400, BadNames);
            return;
        }
        await Reply(ctx, await Ask(new ServiceCommand(verb, list), ctx), list);
    }

    async Task SignalServices(HttpContext ctx, string names)
    {
        if (Names(names) is not { } list)
        {
            await Error(ctx, 400, BadNames);
            return;
        }
        var text = ctx.Request.Query["signal"].ToString();
        if (text.Length == 0 || !Signals.TryParse(text, out var signal))
        {
            await Error(ctx, 400, text.Length == 0 ? "missing ?signal=NAME (e.g. HUP, USR1, 15)" : $"unknown signal '{text}'");
            return;
        }
        await Reply(ctx, await Ask(new SignalCommand(signal, list), ctx), list);
    }

    /// <summary>POST /v1/services/NAME/scale?replicas=N: run N copies of a service declared with replicas.</summary>
    async Task Scale(HttpContext ctx, string name)
    {
        var text = ctx.Request.Query["replicas"].ToString();
        if (!int.TryParse(text, out var replicas) || replicas is < 0 or > 1000)
        {
            await Error(ctx, 400, text.Length == 0 ? "missing ?replicas=N" : $"replicas must be a number from 0 to 1000, not '{text}'");
            return;
        }
        await Reply(ctx, await Ask(new ScaleCommand(Uri.UnescapeDataString(name), replicas), ctx), null);
    }

    async Task Simple(HttpContext ctx, ControlRequest request) => await Reply(ctx, await Ask(request, ctx), null);

    async Task Reply(HttpContext ctx, ControlReply reply, ImmutableArray<string>? names)
    {
        if (reply.Error is { } error)
        {
            await Error(ctx, reply.Status, error, reply.Said);
            return;
        }
        // Only the services a request named: a reload or shutdown lists none as acted on.
        ImmutableArray<ServiceStatus>? services = null;
        if (reply.Snapshot is { } snapshot && names is { } named)
        {
            var usage = Os.Pid1.ProcessStats.ByProcessGroup();
            services = [.. snapshot.Pick(named).Services.Select(s => WithUsage(s, usage))];
        }
        await Json(ctx, reply.Status, new ActionAnswer(reply.Said, services), StatusJson.Default.ActionAnswer);
    }

    async Task Logs(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        var services = Names(query["service"].ToString()) ?? [];
        var count = 100;
        if (query["n"].ToString() is { Length: > 0 } n && (!int.TryParse(n, out count) || count < 0))
        {
            await Error(ctx, 400, $"n must be a number of lines, not '{n}'");
            return;
        }
        var follow = query["follow"].ToString() is "1" or "true" or "yes";
        var asJson = query["format"].ToString() == "json";
        if (services.Length > 0 && !services.Contains("all"))
        {
            // Groups stand for their services; "corral" is Corral's own messages.
            var snapshot = (await Ask(new StatusRequest(), ctx)).Snapshot!;
            var (picked, unknown) = snapshot.Pick([.. services.Where(s => s != "corral")]);
            if (unknown.Count > 0)
            {
                await Unknown(ctx, unknown);
                return;
            }
            services = [.. picked.Select(p => p.Name).Concat(services.Where(s => s == "corral"))];
        }
        else services = [];
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = asJson ? "application/x-ndjson; charset=utf-8" : "text/plain; charset=utf-8";
        if (!follow)
        {
            foreach (var line in logs.Recent(services, count)) await ctx.Response.WriteAsync(Format(line, asJson), ctx.RequestAborted);
            await ctx.Response.CompleteAsync();
            return;
        }
        var (recent, live) = logs.Follow(services, count);
        ctx.Items[Streaming] = true;
        Server?.RequestStreaming();
        using (live)
        {
            foreach (var line in recent) await ctx.Response.WriteAsync(Format(line, asJson), ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            // A line written while the follower was being set up may come both ways: once is enough.
            var seen = recent.Select(l => l.Sequence).ToHashSet();
            var reader = live.Channel.Reader;
            while (await reader.WaitToReadAsync(ctx.RequestAborted))
            {
                while (reader.TryRead(out var line))
                    if (!seen.Contains(line.Sequence)) await ctx.Response.WriteAsync(Format(line, asJson), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
    }

    static string Format(LogLine line, bool json)
    {
        if (!json) return $"{line.Service} | {line.Text}\n";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        JsonLines.Output(buffer, line.Time, line.Service, line.Stream, line.Text);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Waits (without polling: on the loop's status changes) until the services are ready, running or healthy.</summary>
    async Task Wait(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        var services = Names(query["service"].ToString()) ?? [];
        var condition = query["for"].ToString() is { Length: > 0 } c ? c : "ready";
        if (!WaitRule.Conditions.Contains(condition))
        {
            await Error(ctx, 400, $"for= must be ready, running, healthy or down, not '{condition}'");
            return;
        }
        var timeout = TimeSpan.FromSeconds(30);
        if (query["timeout"].ToString() is { Length: > 0 } t && !Durations.TryParse(t, out timeout))
        {
            await Error(ctx, 400, $"timeout must be a duration such as 10s, not '{t}'");
            return;
        }
        if (timeout > TimeSpan.FromDays(1)) timeout = TimeSpan.FromDays(1);
        var deadline = Os.MonotonicClock.System.Now + timeout;
        while (true)
        {
            // Take the change signal before the snapshot, so a change in between is not missed.
            var change = Server?.NextChange ?? Task.Delay(100);
            var snapshot = (await Ask(new StatusRequest(), ctx)).Snapshot!;
            var (picked, unknown) = snapshot.Pick(services);
            if (unknown.Count > 0)
            {
                await Unknown(ctx, unknown);
                return;
            }
            var verdict = WaitRule.Judge(picked, snapshot.Corral.ShuttingDown, condition);
            switch (verdict.Outcome)
            {
                case WaitOutcome.Met:
                    await Json(ctx, 200, w => w.WriteString("message", verdict.Message));
                    return;
                case WaitOutcome.Hopeless:
                    await Error(ctx, 409, verdict.Message);
                    return;
            }
            var left = deadline - Os.MonotonicClock.System.Now;
            if (left <= TimeSpan.Zero)
            {
                await Error(ctx, 504, WaitRule.TimedOut(verdict, timeout));
                return;
            }
            using (var delay = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted))
            {
                await Task.WhenAny(change, Task.Delay(left, delay.Token));
                delay.Cancel();
            }
            ctx.RequestAborted.ThrowIfCancellationRequested();
        }
    }

    async Task HealthCheck(HttpContext ctx)
    {
        var services = Names(ctx.Request.Query["service"].ToString()) ?? [];
        var snapshot = (await Ask(new StatusRequest(), ctx)).Snapshot!;
        var (healthy, reason) = Health.Evaluate(snapshot, services);
        await Json(ctx, healthy ? 200 : 503, w =>
        {
            w.WriteBoolean("healthy", healthy);
            w.WriteString("message", reason);
        });
    }

    async Task MetricsText(HttpContext ctx)
    {
        var snapshot = (await Ask(new StatusRequest(), ctx)).Snapshot!;
        var text = Metrics.Render(snapshot, Os.Pid1.ProcessStats.ByProcessGroup(), Os.Pid1.ProcessStats.Of(snapshot.Corral.Pid), Server?.Wakes ?? 0);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
        await ctx.Response.CompleteAsync();
    }

    /// <summary>Posts a request to the loop and waits for its answer (bounded: a stuck loop must not hold connections forever).</summary>
    async Task<ControlReply> Ask(ControlRequest request, HttpContext ctx)
    {
        post(request);
        return await request.Reply.Task.WaitAsync(LoopTimeout, ctx.RequestAborted);
    }

    static ImmutableArray<string>? Names(string text)
    {
        if (text.Length == 0) return null;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length == 0 ? null : [.. names];
    }

    const string BadNames = "expected service names separated by commas, or 'all'";

    static Task Unknown(HttpContext ctx, IEnumerable<string> names) =>
        Error(ctx, 404, $"no such service or group: {string.Join(", ", names)}");


    /// <summary>Unix socket connections pass (the socket's 0600 mode is the guard); TCP ones need the configured credentials.</summary>
    bool Authorized(HttpContext ctx)
    {
        // A Unix socket connection has no IP endpoints (Kestrel sets them only for TCP).
        var endpoints = ctx.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionEndPointFeature>();
        if (ctx.Connection.RemoteIpAddress is null && endpoints?.LocalEndPoint is not System.Net.IPEndPoint) return true;
        if (tcp is null) return false;
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        byte[] given;
        try { given = Convert.FromBase64String(header[6..].Trim()); }
        catch (FormatException) { return false; }
        var expected = Encoding.UTF8.GetBytes($"{tcp.Username}:{tcp.Password}");
        return SameSecret(given, expected);
    }

    /// <summary>
    /// Constant time in the secret: the loop runs over the given bytes only, and no early exit.
    /// Not SHA256 and FixedTimeEquals as before: hashing goes through OpenSSL, which the static
    /// executable would have to dlopen.
    /// </summary>
    static bool SameSecret(ReadOnlySpan<byte> given, ReadOnlySpan<byte> expected)
    {
        if (expected.IsEmpty) return given.IsEmpty;
        var difference = given.Length ^ expected.Length;
        for (var i = 0; i < given.Length; i++) difference |= given[i] ^ expected[i % expected.Length];
        return difference == 0;
    }

    /// <summary>A status answer, in the one status JSON form (StatusJson).</summary>
    static Task Json<T>(HttpContext ctx, int status, T value, JsonTypeInfo<T> type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, JsonLines.Indented)) JsonSerializer.Serialize(w, value, type);
        return Send(ctx, status, buffer);
    }

    /// <summary>Any other answer (an error, a message), written field by field.</summary>
    static Task Json(HttpContext ctx, int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, JsonLines.Indented))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Send(ctx, status, buffer);
    }

    static async Task Send(HttpContext ctx, int status, ArrayBufferWriter<byte> buffer)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        buffer.Write("\n"u8);
        ctx.Response.ContentLength = buffer.WrittenCount;
        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
        await ctx.Response.CompleteAsync();
    }

    static Task Error(HttpContext ctx, int status, string message, ImmutableArray<string> details = default) => Json(ctx, status, w =>
    {
        w.WriteString("error", message);
        if (details.IsDefaultOrEmpty) return;
        w.WriteStartArray("details");
        foreach (var d in details) w.WriteStringValue(d);
        w.WriteEndArray();
    });
}
