using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Os.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Corral.Control;

/// <summary>
/// Overview: the control server, asleep until someone connects. Corral binds and listens on the
/// control socket (and the TCP address, if configured) itself; one thread waits in poll(2) for
/// a connection. The first one wakes Kestrel, started on duplicates of the listening
/// descriptors, which accepts the waiting connection. After <see cref="ControlSpec.IdleStop"/>
/// with no request in flight, Kestrel is stopped and the thread goes back to poll. So an idle
/// Corral pays for neither Kestrel's heartbeat nor its threads' wake-ups (DESIGN.md, Control).
/// </summary>
public sealed class ControlServer : IDisposable
{
    readonly List<int> listeners = [];
    readonly ControlApi api;
    readonly TimeSpan idleStop;
    readonly Action<Log> say;
    readonly int wakeRead, wakeWrite;
    readonly object gate = new();
    volatile bool stopping;
    int connections, answering;
    TimeSpan lastActivity;
    TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The Unix socket's path (null when there is none).</summary>
    public string? SocketPath { get; }

    /// <summary>How many times Kestrel was woken up: for tests and metrics.</summary>
    public int Wakes { get; private set; }

    public bool Awake { get; private set; }

    ControlServer(ControlApi api, string? socketPath, TimeSpan idleStop, Action<Log> say)
    {
        this.api = api;
        this.idleStop = idleStop;
        this.say = say;
        SocketPath = socketPath;
        var (r, w, errno) = Os.Files.Pipes.Create();
        if (errno != 0) throw new IOException($"cannot create the control server's pipe: {Os.Native.Errno.Describe(errno)}");
        (wakeRead, wakeWrite) = (r, w);
        api.Server = this;
    }

    /// <summary>
    /// Binds the configured listeners and starts the waiting thread. Null (and said why) when
    /// the control server is off or no listener could be made; Corral supervises without it.
    /// </summary>
    public static ControlServer? Start(ControlSpec spec, string defaultSocket, ControlApi api, Action<Log> say)
    {
        if (!spec.Enabled && spec.Tcp is null) return null;
        var fds = new List<int>();
        string? socketPath = null;
        if (spec.Enabled)
        {
            socketPath = spec.Socket ?? defaultSocket;
            var (fd, error) = Listeners.Unix(socketPath);
            if (fd < 0) say(new Log(LogLevel.Warning, null, $"no control socket at {socketPath}: {error}; corral ctl will not work; {Os.Logging.Problems.WritableRunDirectoryAdvice}"));
            else fds.Add(fd);
            if (fd < 0) socketPath = null;
        }
        if (spec.Tcp is { } tcp)
        {
            var (fd, error) = Listeners.Tcp(tcp.Host, tcp.Port);
            if (fd < 0) say(new Log(LogLevel.Warning, null, $"no control listener on {tcp.Host}:{tcp.Port}: {error}"));
            else fds.Add(fd);
        }
        if (fds.Count == 0) return null;
        var server = new ControlServer(api, socketPath, spec.EffectiveIdleStop, say);
        server.listeners.AddRange(fds);
        new Thread(server.Run, 256 * 1024) { IsBackground = true, Name = "control" }.Start();
        return server;
    }

    /// <summary>Called by the loop whenever the status changed: wakes whoever waits for a change.</summary>
    public void Changed() => Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next status change.</summary>
    public Task NextChange => Volatile.Read(ref changed).Task;

    int streaming;

    /// <summary>A connection was accepted: the server stays awake while any is open (keep-alive, logs -f).</summary>
    void ConnectionOpened()
    {
        lock (gate)
        {
            connections++;
            lastActivity = Os.MonotonicClock.System.Now;
        }
    }

    void ConnectionClosed()
    {
        lock (gate)
        {
            connections--;
            lastActivity = Os.MonotonicClock.System.Now;
            Monitor.PulseAll(gate);
        }
    }

    internal void RequestStarted()
    {
        lock (gate)
        {
            answering++;
            lastActivity = Os.MonotonicClock.System.Now;
        }
    }

    /// <summary>A request that now only streams (logs -f): Corral's exit need not wait for it.</summary>
    internal void RequestStreaming()
    {
        lock (gate)
        {
            answering--;
            streaming++;
            Monitor.PulseAll(gate);
        }
    }

    internal void RequestEnded(bool streamed)
    {
        lock (gate)
        {
            if (!streamed) answering--;
            else streaming--;
            lastActivity = Os.MonotonicClock.System.Now;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until every request being answered has had its
    /// answer written: Corral is about to exit, and `corral ctl shutdown` should hear "done".
    /// </summary>
    public void Quiesce(TimeSpan limit)
    {
        var deadline = Os.MonotonicClock.System.Now + limit;
        lock (gate)
        {
            // An answer handed to Kestrel may still be on its way to the socket: wait until the
            // client has it and has closed its connection too (streams such as logs -f excepted).
            while (answering > 0 || connections > streaming)
            {
                var left = deadline - Os.MonotonicClock.System.Now;
                if (left <= TimeSpan.Zero) return;
                Monitor.Wait(gate, left);
            }
        }
    }

    const int MaxFailures = 5;

    /// <summary>
    /// Sleeps in poll until a connection comes, serves until quiet, sleeps again. Nothing here may
    /// take Corral down: every failure is said, and after repeated ones the control socket is
    /// closed (clients then fail at once instead of waiting on a server that cannot start).
    /// </summary>
    void Run()
    {
        var failures = 0;
        while (!stopping)
        {
            try
            {
                var woke = Listeners.WaitForConnection(listeners, wakeRead);
                if (stopping) return;
                if (woke < 0)
                {
                    Say(LogLevel.Error, $"control server: poll: {Os.Native.Errno.Describe(-woke)}");
                    failures++;
                }
                else if (woke > 0 && Serve()) failures = 0;
                else if (woke > 0) failures++;
                if (failures >= MaxFailures)
                {
                    Say(LogLevel.Error, $"control server: failed {failures} times in a row; closing the control socket");
                    CloseListeners();
                    return;
                }
                // Whatever went wrong, do not spin on a connection nobody will accept.
                if (failures > 0) Thread.Sleep(1000);
            }
            catch (Exception e)
            {
                Say(LogLevel.Error, $"control server: {Os.Logging.Problems.Internal(e)}");
                Thread.Sleep(1000);
            }
        }
    }

    /// <summary>Starts Kestrel, serves until quiet, stops it; false when it could not start.</summary>
    bool Serve()
    {
        var copies = new List<int>();
        WebApplication? app = null;
        try
        {
            app = Build(copies);
            app.StartAsync().GetAwaiter().GetResult();
            Wakes++;
            Awake = true;
            Say(LogLevel.Debug, "control server: awake");
            WaitUntilQuiet();
            return true;
        }
        catch (Exception e)
        {
            Say(LogLevel.Error, $"control server: {Os.Logging.Problems.Internal(e)}");
            return false;
        }
        finally
        {
            Awake = false;
            if (app is not null) Stop(app);
            // Kestrel does not own a handle it was given: the duplicates are closed here.
            foreach (var fd in copies) Os.Files.Descriptors.Close(fd);
            // Give back what the server's requests made the heap grow by: asleep, it should
            // cost what it cost before it woke.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            if (!stopping) Say(LogLevel.Debug, $"control server: asleep ({Core.Model.Durations.Format(idleStop)} without a connection)");
        }
    }

    /// <summary>Returns once no connection has been open for the idle time, or Corral is stopping.</summary>
    void WaitUntilQuiet()
    {
        lock (gate)
        {
            lastActivity = Os.MonotonicClock.System.Now;
            while (!stopping)
            {
                var quietFor = Os.MonotonicClock.System.Now - lastActivity;
                if (connections == 0 && quietFor >= idleStop) return;
                Monitor.Wait(gate, connections > 0 ? idleStop : idleStop - quietFor + TimeSpan.FromMilliseconds(10));
            }
        }
    }

    static void Stop(WebApplication app)
    {
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            app.StopAsync(grace.Token).GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Stopping is best effort: the listening sockets stay Corral's and keep working.
        }
    }

    void CloseListeners()
    {
        foreach (var fd in listeners) Os.Files.Descriptors.Close(fd);
        listeners.Clear();
        DeleteSocketFile();
    }

    void DeleteSocketFile()
    {
        if (SocketPath is null) return;
        try { File.Delete(SocketPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Logging must not be what kills the control thread.</summary>
    void Say(LogLevel level, string message)
    {
        try { say(new Log(level, null, message)); }
        catch (Exception) { }
    }

    WebApplication Build(List<int> copies)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        // Not the host's default ConsoleLifetime: it would register SIGTERM, SIGINT and SIGQUIT
        // through the runtime, taking them away from Corral's own handlers (corral_signals.c).
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, CorralOwnsSignals>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = 64 * 1024;
            options.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            options.Limits.MaxRequestHeaderCount = 100;
            options.Limits.MaxConcurrentConnections = 64;
            options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            foreach (var fd in listeners)
            {
                var copy = Os.Files.Descriptors.Duplicate(fd);
                if (copy < 0) throw new IOException($"cannot duplicate the listening socket: {Os.Native.Errno.Describe(-copy)}");
                copies.Add(copy);
                options.ListenHandle((ulong)copy, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    // Open connections, not only requests, keep the server awake.
                    listen.Use(next => async connection =>
                    {
                        ConnectionOpened();
                        try { await next(connection); }
                        finally { ConnectionClosed(); }
                    });
                });
            }
        });
        var app = builder.Build();
        app.Run(api.Handle);
        return app;
    }

    /// <summary>Stops serving (Corral is exiting): the server is stopped, the socket file removed.</summary>
    public void Dispose()
    {
        stopping = true;
        lock (gate) Monitor.PulseAll(gate);
        Os.Files.Pipes.Poke(wakeWrite);
        DeleteSocketFile();
    }
}

/// <summary>A host lifetime that leaves signals alone: Corral decides when the control server stops.</summary>
sealed class CorralOwnsSignals : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
