using System.Collections.Immutable;
using System.Text;
using Corral.Core.Compat.Supervisord;
using Corral.Core.Model;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using Microsoft.AspNetCore.Http;

namespace Corral.Control;

/// <summary>
/// Overview: supervisord's XML-RPC interface (POST /RPC2) and its log streams (GET /logtail/NAME,
/// /mainlogtail), so the real supervisorctl drives Corral unchanged. The codec, states, info
/// structs and the method table are pure (Core/Compat/Supervisord); here each method becomes
/// control requests to the event loop, like the JSON API's. Methods that wait (startProcess with
/// wait=true, stopProcess) wait on the loop's status changes, never by polling, and give up
/// after <see cref="WaitLimit"/>.
/// </summary>
/// <param name="ask">Posts a request to the loop and awaits its answer.</param>
public sealed class SupervisordRpc(Func<ControlRequest, HttpContext, Task<ControlReply>> ask, LogRing logs, Func<ControlServer?> server)
{
    static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    const int LogtailHead = 1024;

    public async Task Handle(HttpContext ctx)
    {
        string body;
        try
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(ctx.RequestAborted);
        }
        catch (IOException e) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            // A body cut short (a chunked body whose client stopped sending) is the client's
            // mistake: 400, not the 500 "internal error" the fuzz test found.
            throw new BadHttpRequestException($"the request body could not be read: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
        string answer;
        try
        {
            var (method, args) = XmlRpcCodec.ParseCall(body);
            answer = XmlRpcCodec.Response(await Call(method, args, ctx, nested: false));
        }
        catch (XmlRpcFault f)
        {
            answer = XmlRpcCodec.Fault(f.Code, f.Message);
        }
        catch (FormatException e)
        {
            ctx.Response.StatusCode = 400;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync(e.Message + "\n", ctx.RequestAborted);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(answer);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/xml";
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        await ctx.Response.CompleteAsync();
    }

    async Task<object?> Call(string method, List<object?> args, HttpContext ctx, bool nested)
    {
        var m = Methods.Find(method) ?? throw Faults.Of(Faults.UnknownMethod);
        if (nested && method == "system.multicall") throw Faults.Of(Faults.IncorrectParameters, "recursive multicall");
        Methods.CheckArity(m, args.Count);
        switch (method)
        {
            case "supervisor.getAPIVersion" or "supervisor.getVersion": return "3.0";
            case "supervisor.getSupervisorVersion": return Core.Product.Version;
            case "supervisor.getIdentification": return "corral";
            case "supervisor.getState":
                var shutting = (await Snapshot(ctx)).Corral.ShuttingDown;
                return new XmlRpcStruct { ["statecode"] = shutting ? -1 : 1, ["statename"] = shutting ? "SHUTDOWN" : "RUNNING" };
            case "supervisor.getPID": return (await Snapshot(ctx)).Corral.Pid;
            case "supervisor.readLog" or "supervisor.readMainLog":
                return Read("corral", null, Int(args, 0), Int(args, 1));
            case "supervisor.clearLog":
                logs.Clear("corral");
                return true;
            case "supervisor.getProcessInfo":
            {
                var status = await Snapshot(ctx);
                return ProcessInfo.Of(Process(status, Str(args, 0)), ProcessInfo.Now(status));
            }
            case "supervisor.getAllProcessInfo":
            {
                var status = await Snapshot(ctx);
                var now = ProcessInfo.Now(status);
                return Lexical(status.Services).Select(s => (object?)ProcessInfo.Of(s, now)).ToList();
            }
            case "supervisor.getAllConfigInfo": return await ConfigInfo(ctx);
            case "supervisor.startProcess": return await StartProcess(Str(args, 0), Bool(args, 1), ctx);
            case "supervisor.startProcessGroup": return await Start(Group(await Snapshot(ctx), Str(args, 0)), Bool(args, 1), ctx);
            case "supervisor.startAllProcesses": return await Start(Lexical((await Snapshot(ctx)).Services), Bool(args, 0), ctx);
            case "supervisor.stopProcess": return await StopProcess(Str(args, 0), Bool(args, 1), ctx);
            case "supervisor.stopProcessGroup": return await Stop(Group(await Snapshot(ctx), Str(args, 0)), Bool(args, 1), ctx);
            case "supervisor.stopAllProcesses": return await Stop(Lexical((await Snapshot(ctx)).Services), Bool(args, 0), ctx);
            case "supervisor.signalProcess": return await SignalProcess(Str(args, 0), Str(args, 1), ctx);
            case "supervisor.signalProcessGroup":
                return await Signal(Group(await Snapshot(ctx), Str(args, 0)), Str(args, 1), ctx);
            case "supervisor.signalAllProcesses": return await Signal(Lexical((await Snapshot(ctx)).Services), Str(args, 0), ctx);
            case "supervisor.readProcessStdoutLog" or "supervisor.readProcessLog" or "supervisor.readProcessStderrLog":
            {
                var s = Process(await Snapshot(ctx), Str(args, 0));
                return Read(s.Name, method.Contains("Stderr") ? "stderr" : "stdout", Int(args, 1), Int(args, 2));
            }
            case "supervisor.tailProcessStdoutLog" or "supervisor.tailProcessLog" or "supervisor.tailProcessStderrLog":
            {
                var s = Process(await Snapshot(ctx), Str(args, 0));
                var (data, end) = logs.Bytes(s.Name, method.Contains("Stderr") ? "stderr" : "stdout");
                var (bytes, offset, overflow) = LogWindow.Tail(data, end, Int(args, 1), Int(args, 2));
                return new List<object?> { Text(bytes), (int)Math.Min(offset, int.MaxValue), overflow };
            }
            case "supervisor.clearProcessLogs" or "supervisor.clearProcessLog":
                logs.Clear(Process(await Snapshot(ctx), Str(args, 0)).Name);
                return true;
            case "supervisor.clearAllProcessLogs":
            {
                var all = Lexical((await Snapshot(ctx)).Services);
                foreach (var s in all) logs.Clear(s.Name);
                return all.Select(s => (object?)Result(s, Faults.Success, "OK")).ToList();
            }
            case "supervisor.reloadConfig":
            {
                var reply = await ask(new RereadCommand(), ctx);
                if (reply.Error is { } error) throw Faults.Of(reply.Fault == 0 ? Faults.CantReread : reply.Fault, string.Join("; ", [error, .. reply.Said]));
                var c = reply.Changes!;
                return new List<object?> { new List<object?> { Names(c.Added), Names(c.Changed), Names(c.Removed) } };
            }
            case "supervisor.addProcessGroup" or "supervisor.removeProcessGroup":
            {
                var name = Str(args, 0);
                var reply = await ask(new GroupCommand(name, method == "supervisor.addProcessGroup"), ctx);
                if (reply.Error is not null) throw Faults.Of(reply.Fault == 0 ? Faults.Failed : reply.Fault, reply.Fault is Faults.Failed ? string.Join("; ", [reply.Error, .. reply.Said]) : name);
                return true;
            }
            case "supervisor.shutdown":
            {
                var reply = await ask(new ShutdownCommand(), ctx);
                if (reply.Error is not null) throw Faults.Of(Faults.ShutdownState);
                return true;
            }
            case "supervisor.restart":
                throw Faults.Of(Faults.Failed, "corral does not restart itself: use reread and update, or restart all");
            case "supervisor.sendProcessStdin":
            {
                var s = Process(await Snapshot(ctx), Str(args, 0));
                if (!ProcessStates.IsRunning(ProcessStates.Of(s)) || s.Pid is null) throw Faults.Of(Faults.NotRunning, s.Name);
                throw Faults.Of(Faults.Failed, "corral does not connect a process's stdin");
            }
            case "supervisor.sendRemoteCommEvent":
                Str(args, 0);
                Str(args, 1);
                return true;
            case "system.listMethods": return Methods.All.Select(x => (object?)x.Name).ToList();
            case "system.methodHelp":
                return Methods.Find(Str(args, 0))?.Help ?? throw Faults.Of(Faults.SignatureUnsupported);
            case "system.methodSignature":
                return Methods.Find(Str(args, 0))?.Signature.Select(t => (object?)t).ToList() ?? throw Faults.Of(Faults.SignatureUnsupported);
            case "system.multicall":
                return await Multicall(args[0], ctx);
            default:
                throw Faults.Of(Faults.UnknownMethod);
        }
    }

    async Task<object?> Multicall(object? calls, HttpContext ctx)
    {
        if (calls is not List<object?> list) throw Faults.Of(Faults.IncorrectParameters);
        var results = new List<object?>();
        foreach (var call in list)
        {
            try
            {
                if (call is not XmlRpcStruct s || s["methodName"] is not string name) throw Faults.Of(Faults.IncorrectParameters);
                var parameters = s["params"] as List<object?> ?? [];
                results.Add(await Call(name, parameters, ctx, nested: true));
            }
            catch (XmlRpcFault f)
            {
                results.Add(new XmlRpcStruct { ["faultCode"] = f.Code, ["faultString"] = f.Message });
            }
        }
        return results;
    }

    // ---- processes: start, stop, signal ----

    async Task<object?> StartProcess(string name, bool wait, HttpContext ctx)
    {
        var status = await Snapshot(ctx);
        var (group, process) = ProcessInfo.Split(name);
        if (process is null) return await Start(Group(status, group), wait, ctx);
        var s = Process(status, name);
        if (ProcessStates.IsRunning(ProcessStates.Of(s))) throw Faults.Of(Faults.AlreadyStarted, name);
        var results = await Start([s], wait, ctx);
        var code = (int)((XmlRpcStruct)results[0]!)["status"]!;
        if (code != Faults.Success) throw Faults.Of(code, name);
        return true;
    }

    /// <summary>Starts those not running (supervisord leaves the others out of the answer) and, with wait, sees each through STARTING.</summary>
    async Task<List<object?>> Start(List<ServiceStatus> services, bool wait, HttpContext ctx)
    {
        var starting = services.Where(s => !ProcessStates.IsRunning(ProcessStates.Of(s))).ToList();
        if (starting.Count == 0) return [];
        var reply = await ask(new ServiceCommand(ControlVerb.Start, [.. starting.Select(s => s.Name)]), ctx);
        if (reply.Error is { } error) throw Faults.Of(Faults.Failed, error);
        if (!wait) return [.. starting.Select(s => (object?)Result(s, Faults.Success, "OK"))];
        var done = await Until(starting, s => ProcessStates.Of(s) is not (ProcessStates.Starting or ProcessStates.Stopped) || s.State == ServiceState.Succeeded, ctx);
        return [.. done.Select(s => (object?)(ProcessStates.Of(s) == ProcessStates.Running || s.State == ServiceState.Succeeded
            ? Result(s, Faults.Success, "OK")
            : Result(s, Faults.SpawnError, $"{Faults.Name(Faults.SpawnError)}: {ProcessInfo.Namespec(s)}")))];
    }

    async Task<object?> StopProcess(string name, bool wait, HttpContext ctx)
    {
        var status = await Snapshot(ctx);
        var (group, process) = ProcessInfo.Split(name);
        if (process is null) return await Stop(Group(status, group), wait, ctx);
        var s = Process(status, name);
        if (!ProcessStates.IsRunning(ProcessStates.Of(s))) throw Faults.Of(Faults.NotRunning, name);
        var results = await Stop([s], wait, ctx);
        var code = (int)((XmlRpcStruct)results[0]!)["status"]!;
        if (code != Faults.Success) throw Faults.Of(code, name);
        return true;
    }

    async Task<List<object?>> Stop(List<ServiceStatus> services, bool wait, HttpContext ctx)
    {
        var stopping = services.Where(s => ProcessStates.IsRunning(ProcessStates.Of(s))).ToList();
        if (stopping.Count == 0) return [];
        var reply = await ask(new ServiceCommand(ControlVerb.Stop, [.. stopping.Select(s => s.Name)]), ctx);
        if (reply.Error is { } error) throw Faults.Of(Faults.Failed, error);
        var done = wait ? await Until(stopping, s => ProcessStates.IsStopped(ProcessStates.Of(s)), ctx) : stopping;
        return [.. done.Select(s => (object?)(!wait || ProcessStates.IsStopped(ProcessStates.Of(s))
            ? Result(s, Faults.Success, "OK")
            : Result(s, Faults.Failed, $"{Faults.Name(Faults.Failed)}: {ProcessInfo.Namespec(s)}")))];
    }

    async Task<object?> SignalProcess(string name, string signal, HttpContext ctx)
    {
        var status = await Snapshot(ctx);
        var (group, process) = ProcessInfo.Split(name);
        if (process is null) return await Signal(Group(status, group), signal, ctx);
        var s = Process(status, name);
        var number = SignalNumber(signal);
        if (!ProcessStates.IsRunning(ProcessStates.Of(s)) || s.Pid is null) throw Faults.Of(Faults.NotRunning, name);
        var reply = await ask(new SignalCommand(number, [s.Name]), ctx);
        if (reply.Error is { } error) throw Faults.Of(Faults.Failed, error);
        return true;
    }

    async Task<List<object?>> Signal(List<ServiceStatus> services, string signal, HttpContext ctx)
    {
        var number = SignalNumber(signal);
        var running = services.Where(s => ProcessStates.IsRunning(ProcessStates.Of(s)) && s.Pid is not null).ToList();
        if (running.Count == 0) return [];
        var reply = await ask(new SignalCommand(number, [.. running.Select(s => s.Name)]), ctx);
        var code = reply.Error is null ? Faults.Success : Faults.Failed;
        return [.. running.Select(s => (object?)Result(s, code, code == Faults.Success ? "OK" : reply.Error!))];
    }

    static int SignalNumber(string text) =>
        Signals.TryParse(text, out var n) && n is > 0 and < 65 ? n : throw Faults.Of(Faults.BadSignal, text);

    /// <summary>
    /// Waits on the loop's status changes (never a poll) until each service meets the condition,
    /// and returns their last statuses; after <see cref="WaitLimit"/>, whatever they are then.
    /// </summary>
    async Task<List<ServiceStatus>> Until(List<ServiceStatus> services, Func<ServiceStatus, bool> met, HttpContext ctx)
    {
        var deadline = Os.MonotonicClock.System.Now + WaitLimit;
        while (true)
        {
            var change = server()?.NextChange ?? Task.Delay(100);
            var status = await Snapshot(ctx);
            var now = services.Select(s => status.Service(s.Name) ?? s).ToList();
            var left = deadline - Os.MonotonicClock.System.Now;
            if (now.All(met) || left <= TimeSpan.Zero) return now;
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
            await Task.WhenAny(change, Task.Delay(left, delay.Token));
            delay.Cancel();
            ctx.RequestAborted.ThrowIfCancellationRequested();
        }
    }

    async Task<object?> ConfigInfo(HttpContext ctx)
    {
        var plan = (await ask(new PlanRequest(), ctx)).Plan!;
        return plan.Config.Services.OrderBy(GroupChanges.GroupOf, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => (object?)new XmlRpcStruct
            {
                ["name"] = s.Name,
                ["group"] = GroupChanges.GroupOf(s),
                ["inuse"] = true,
                ["autostart"] = s.AutoStart,
                ["group_prio"] = s.Priority,
                ["process_prio"] = s.Priority,
                ["command"] = string.Join(' ', s.Command),
                ["startsecs"] = (int)(s.StartSeconds?.TotalSeconds ?? 0),
                ["startretries"] = s.StartRetries ?? 0,
                ["stopsignal"] = s.Stop.Signal,
                ["stopwaitsecs"] = (int)s.Stop.Timeout.TotalSeconds,
                ["exitcodes"] = s.SuccessExitCodes.Order().Select(c => (object?)c).ToList(),
            }).ToList();
    }

    // ---- logs ----

    string Read(string service, string? stream, long offset, long length)
    {
        var (data, end) = logs.Bytes(service, stream);
        return Text(LogWindow.Read(data, end, offset, length));
    }

    /// <summary>Log bytes as a string: supervisord decodes them leniently too, and a cut character must not fail the call.</summary>
    static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>GET /logtail/NAME[/stdout|/stderr], /mainlogtail: the last KiB, then new lines as they come, until the client goes.</summary>
    public async Task Logtail(HttpContext ctx, string? name, string stream, Action streaming)
    {
        string service;
        if (name is null) service = "corral";
        else
        {
            var status = await Snapshot(ctx);
            if (ProcessInfo.Find(status, name) is not { } s)
            {
                ctx.Response.StatusCode = 404;
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<head>\n<title>Error response</title>\n</head>\n<body>\n<h1>Error response</h1>\n<p>Error code 404.\n<p>Message: Not Found.\n</body>", ctx.RequestAborted);
                return;
            }
            service = s.Name;
        }
        var wanted = name is null ? null : stream;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain;charset=utf-8";
        ctx.Response.Headers["X-Accel-Buffering"] = "no";
        var (recent, live) = logs.Follow([service], 0);
        streaming();
        using (live)
        {
            var (data, _) = logs.Bytes(service, wanted);
            await ctx.Response.Body.WriteAsync(data.AsMemory(Math.Max(0, data.Length - LogtailHead)), ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            var reader = live.Channel.Reader;
            while (await reader.WaitToReadAsync(ctx.RequestAborted))
            {
                var b = new StringBuilder();
                while (reader.TryRead(out var line))
                    if (wanted is null || line.Stream == wanted) b.Append(line.Text).Append('\n');
                if (b.Length == 0) continue;
                await ctx.Response.WriteAsync(b.ToString(), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
    }

    // ---- helpers ----

    async Task<SupervisorStatus> Snapshot(HttpContext ctx) => (await ask(new StatusRequest(), ctx)).Snapshot!;

    /// <summary>supervisord's order: by group, then name.</summary>
    static List<ServiceStatus> Lexical(IEnumerable<ServiceStatus> services) =>
        [.. services.OrderBy(ProcessInfo.GroupOf, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)];

    static ServiceStatus Process(SupervisorStatus status, string name) =>
        ProcessInfo.Find(status, name) ?? throw Faults.Of(Faults.BadName, name);

    static List<ServiceStatus> Group(SupervisorStatus status, string name) =>
        Lexical(ProcessInfo.Group(status, name) ?? throw Faults.Of(Faults.BadName, name));

    static XmlRpcStruct Result(ServiceStatus s, int code, string description) => new()
    {
        ["name"] = s.Name,
        ["group"] = ProcessInfo.GroupOf(s),
        ["status"] = code,
        ["description"] = description,
    };

    static List<object?> Names(IReadOnlyList<string> names) => [.. names.Select(n => (object?)n)];

    static string Str(List<object?> args, int i) => args[i] as string ?? throw Faults.Of(Faults.IncorrectParameters);

    static long Int(List<object?> args, int i) => args[i] switch
    {
        int n => n,
        long n => n,
        _ => throw Faults.Of(Faults.IncorrectParameters),
    };

    /// <summary>An optional boolean (wait), true when left out as in supervisord.</summary>
    static bool Bool(List<object?> args, int i) => i >= args.Count || args[i] switch
    {
        bool b => b,
        int n => n != 0,
        _ => throw Faults.Of(Faults.IncorrectParameters),
    };
}
