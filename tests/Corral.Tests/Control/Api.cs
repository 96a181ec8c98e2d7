using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Corral.Tests.Infrastructure;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Corral.Tests.Control;

/// <summary>A running `corral run` and ways to talk to it: `corral ctl`, plain HTTP on its socket, raw bytes.</summary>
public sealed class Controlled : IDisposable
{
    public Run Run { get; }
    public string RunDirectory => Infrastructure.Run.RunDirectoryOf(Run);
    public string Socket => Path.Combine(RunDirectory, "corral.sock");

    Controlled(Run run) => Run = run;

    public static Controlled Start(string config, params string[] extra)
    {
        var run = Infrastructure.Run.Start(CorralBinary.Path, ["run", "-c", config, .. extra]);
        var c = new Controlled(run);
        Wait.Until(() => File.Exists(c.Socket) || run.HasExited, null, "the control socket");
        return c;
    }

    /// <summary>Runs `corral ctl ARGS` against this Corral.</summary>
    public Result Ctl(params string[] args) =>
        Infrastructure.Run.ExecWith(CorralBinary.Path, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = RunDirectory }, ["ctl", .. args]);

    /// <summary>`ctl status --json`, parsed.</summary>
    public JsonElement Status()
    {
        var r = Ctl("status", "--json");
        Assert.True(r.Code is 0 or 3, $"status failed ({r.Code}): {r.Stderr}");
        return JsonDocument.Parse(r.Stdout).RootElement;
    }

    public JsonElement Service(string name) =>
        Status().GetProperty("services").EnumerateArray().First(s => s.GetProperty("name").GetString() == name);

    public string State(string name) => Service(name).GetProperty("state").GetString()!;

    public int Pid(string name) => Service(name).GetProperty("pid") is { ValueKind: JsonValueKind.Number } p ? p.GetInt32() : 0;

    /// <summary>Waits until the service is running with a pid (and, when given, a pid other than <paramref name="not"/>).</summary>
    public int WaitRunning(string name, int not = 0) =>
        Wait.Until(() => State(name) == "running" && Pid(name) is var p and > 0 && p != not ? p : (int?)null, null, $"{name} running");

    public HttpClient Http() => Unix(Socket);

    public static HttpClient Unix(string socket) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancel) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancel);
            return new NetworkStream(s, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://corral/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A raw connection to the control socket.</summary>
    public Socket Raw()
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(Socket));
        return s;
    }

    /// <summary>SIGTERM and the exit code.</summary>
    public int Stop()
    {
        Run.Signal(Sig.TERM);
        return Run.WaitForExit();
    }

    public void Dispose() => Run.Dispose();
}

/// <summary>Synchronous HTTP for tests (HttpClient.Send), with the body read at once.</summary>
public static class HttpSync
{
    public sealed record Reply(HttpStatusCode Status, string Body, HttpResponseMessage Message);

    public static Reply Get(this HttpClient http, string path) => Call(http, new HttpRequestMessage(HttpMethod.Get, path));

    public static Reply Post(this HttpClient http, string path) => Call(http, new HttpRequestMessage(HttpMethod.Post, path));

    public static Reply Delete(this HttpClient http, string path) => Call(http, new HttpRequestMessage(HttpMethod.Delete, path));

    public static Reply Call(this HttpClient http, HttpRequestMessage request)
    {
        var response = http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return new Reply(response.StatusCode, reader.ReadToEnd(), response);
    }
}
