using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Control;

/// <summary>The HTTP API itself: permissions, TCP credentials, metrics, and abuse that must not disturb supervision.</summary>
public class ApiTests
{
    const string OneService = """
        services:
          app: {command: sh -c 'echo app up; exec sleep 1000'}
        """;

    [Fact]
    public void The_socket_is_0600_in_a_0700_directory_and_is_removed_at_exit()
    {
        var dir = new ConfigDir("");
        var socket = Path.Combine(dir.Path, "private", "ctl.sock");
        File.WriteAllText(dir.Config, $$"""
            control: {socket: {{socket}}}
            services:
              app: {command: sleep 1000}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        Wait.Until(() => File.Exists(socket), null, "the socket");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
        // ctl finds it through the config, or through --socket.
        var viaConfig = Run.Exec(CorralBinary.Path, "ctl", "-c", dir.Config, "status");
        Assert.Equal(0, viaConfig.Code);
        Assert.Contains("app", viaConfig.Stdout);
        Assert.Equal(0, Run.Exec(CorralBinary.Path, "ctl", "--socket", socket, "status").Code);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public void A_second_corral_on_the_same_socket_runs_without_control_and_says_why()
    {
        var dir = new ConfigDir(OneService);
        using var first = Controlled.Start(dir.Config);
        using var second = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config], new Dictionary<string, string?> { ["CORRAL_SOCKET"] = null, ["CORRAL_RUN_DIR"] = first.RunDirectory });
        second.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        Wait.Until(() => second.Stderr.Contains("another process is listening there"), null, "the warning");
        // The first one's socket still answers.
        Assert.Equal(0, first.Ctl("status").Code);
        second.Signal(Sig.TERM);
        Assert.Equal(0, second.WaitForExit());
        Assert.Equal(0, first.Ctl("status").Code);
        Assert.Equal(0, first.Stop());
    }

    [Fact]
    public void Control_can_be_turned_off()
    {
        var dir = new ConfigDir("""
            control: {socket: false}
            services:
              app: {command: sh -c 'echo app up; exec sleep 1000'}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Run.RunDirectoryOf(run), "corral.sock")));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void TCP_refuses_without_the_right_credentials_and_serves_with_them()
    {
        var port = FreePort();
        var dir = new ConfigDir("");
        File.WriteAllText(dir.File("password"), "s3cret\n");
        File.WriteAllText(dir.Config, $$"""
            control:
              tcp: {listen: "127.0.0.1:{{port}}", username: admin, password_file: password}
            services:
              app: {command: sleep 1000}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        Wait.Until(() => File.Exists(Path.Combine(Run.RunDirectoryOf(run), "corral.sock")), null, "the socket");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var anonymous = http.Get("v1/status");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Contains("Basic", anonymous.Message.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, Send(http, "v1/shutdown", "admin:wrong").Status);
        Assert.Equal(HttpStatusCode.Unauthorized, Send(http, "metrics", "admin:s3cre").Status);
        Assert.Equal(HttpStatusCode.Unauthorized, Send(http, "metrics", "garbage-not-base64", raw: true).Status);
        Assert.False(run.HasExited);

        var ok = Send(http, "v1/status", "admin:s3cret", get: true);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Contains("\"app\"", ok.Body);
        Assert.Equal(HttpStatusCode.OK, Send(http, "metrics", "admin:s3cret", get: true).Status);
        var ctl = Run.Exec(CorralBinary.Path, "ctl", "--url", $"http://127.0.0.1:{port}", "--user", "admin:s3cret", "status");
        Assert.Equal(0, ctl.Code);
        var refused = Run.Exec(CorralBinary.Path, "ctl", "--url", $"http://127.0.0.1:{port}", "status");
        Assert.Equal(1, refused.Code);
        Assert.Contains("credentials required", refused.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_TCP_listener_without_credentials_is_a_config_error()
    {
        var dir = new ConfigDir("""
            control:
              tcp: {listen: "127.0.0.1:9999"}
            services:
              app: {command: sleep 1000}
            """);
        var check = Run.Exec(CorralBinary.Path, "check", "-c", dir.Config);
        Assert.Equal(1, check.Code);
        Assert.Contains("corral.yaml:2", check.Stderr);
        Assert.Contains("never open without credentials", check.Stderr);
    }

    [Fact]
    public void Metrics_pass_promtool_and_carry_each_services_figures()
    {
        var dir = new ConfigDir("""
            services:
              app: {command: sh -c 'exec sleep 1000'}
              "odd.name-1": {command: sh -c 'exit 3', restart: never}
            """);
        using var c = Controlled.Start(dir.Config);
        var pid = c.WaitRunning("app");
        Wait.Until(() => c.State("odd.name-1") == "failed", null, "the failing service");
        using var http = c.Http();
        var response = http.Get("metrics");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.StartsWith("text/plain", response.Message.Content.Headers.ContentType!.MediaType);
        var text = response.Body;
        Assert.Contains("corral_service_up{service=\"app\"} 1", text);
        Assert.Contains("corral_service_up{service=\"odd.name-1\"} 0", text);
        Assert.Contains("corral_service_last_exit_code{service=\"odd.name-1\"} 3", text);
        Assert.Contains("corral_service_state{service=\"odd.name-1\",state=\"failed\"} 1", text);
        Assert.Matches(@"corral_service_resident_memory_bytes\{service=""app""\} [1-9]\d*", text);
        Assert.Matches(@"corral_service_cpu_seconds\{service=""app""\} \d", text);
        Assert.Contains("corral_reaped_orphans_total 0", text);
        Assert.Matches(@"corral_uptime_seconds \d", text);
        Assert.Matches(@"corral_resident_memory_bytes [1-9]\d*", text);

        var path = Path.Combine(dir.Path, "metrics.txt");
        File.WriteAllText(path, text);
        var promtool = Run.Exec("sh", "-c", $"promtool check metrics < '{path}'");
        Assert.True(promtool.Code == 0, $"promtool: {promtool.Stdout}\n{promtool.Stderr}");
        Assert.Equal(pid, c.Pid("app"));
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Bad_requests_get_clear_4xx_answers()
    {
        var dir = new ConfigDir(OneService);
        using var c = Controlled.Start(dir.Config);
        using var http = c.Http();
        Assert.Equal(HttpStatusCode.NotFound, http.Get("v2/status").Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, http.Get("v1/reload").Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, http.Delete("v1/status").Status);
        var unknown = http.Post("v1/services/ghost/stop");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("no such service or group: ghost", JsonDocument.Parse(unknown.Body).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, http.Post("v1/services/app/signal?signal=BOGUS").Status);
        Assert.Equal(HttpStatusCode.BadRequest, http.Get("v1/logs?n=lots").Status);
        Assert.Equal(HttpStatusCode.BadRequest, http.Get("v1/wait?for=sleepy").Status);
        var index = http.Get("v1");
        Assert.Equal(HttpStatusCode.OK, index.Status);
        Assert.Contains("/metrics", index.Body);
        var health = http.Get("v1/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, http.Get("v1/health?service=ghost").Status);
        Assert.Equal("running", c.State("app"));
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Garbage_huge_headers_and_slow_clients_never_disturb_supervision()
    {
        var dir = new ConfigDir("""
            services:
              app: {command: sh -c 'echo app up; exec sleep 1000'}
              ticker:
                shell: true
                command: "i=0; while :; do i=$$((i+1)); echo tick $$i; sleep 0.02; done"
            """);
        using var c = Controlled.Start(dir.Config);
        var app = c.WaitRunning("app");
        var random = new Random(42);

        // Random bytes, many times over: each connection is answered (400) or dropped, nothing else.
        for (var i = 0; i < 20; i++)
        {
            using var s = c.Raw();
            var junk = new byte[random.Next(1, 64 * 1024)];
            random.NextBytes(junk);
            try { s.Send(junk); } catch (SocketException) { }
            s.Shutdown(SocketShutdown.Send);
            var answer = ReadAll(s);
            Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 4", StringComparison.Ordinal), answer);
        }
        // A 1 MB header.
        using (var s = c.Raw())
        {
            var big = "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 1 << 20) + "\r\n\r\n";
            try { s.Send(Encoding.ASCII.GetBytes(big)); } catch (SocketException) { }
            var answer = ReadAll(s);
            Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 431", StringComparison.Ordinal), answer[..Math.Min(answer.Length, 200)]);
        }
        // Slow clients: half a request line each, held open while others are served.
        var slow = new List<Socket>();
        for (var i = 0; i < 20; i++)
        {
            var s = c.Raw();
            s.Send("GET /v1/sta"u8.ToArray());
            slow.Add(s);
        }
        Assert.Equal(0, c.Ctl("status").Code);
        var ticks = c.Run.StdoutLines.Count(l => l.Contains("tick", StringComparison.Ordinal));
        Wait.Until(() => c.Run.StdoutLines.Count(l => l.Contains("tick", StringComparison.Ordinal)) > ticks + 10, null, "logs keep flowing");
        foreach (var s in slow) s.Dispose();

        Assert.Equal(app, c.Pid("app"));
        Assert.Equal(0, c.Service("app").GetProperty("restarts").GetInt32());
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void The_server_sleeps_after_its_idle_time_and_wakes_again_on_the_next_connection()
    {
        var dir = new ConfigDir("""
            control: {idle_stop: 1s}
            services:
              app: {command: sleep 1000}
            """);
        using var c = Controlled.Start(dir.Config, "-v");
        Assert.DoesNotContain("control server: awake", c.Run.Stderr);
        Assert.Equal(0, c.Ctl("status").Code);
        Wait.Until(() => c.Run.Stderr.Contains("control server: asleep"), null, "the server to sleep");
        Assert.Equal(0, c.Ctl("status").Code);
        Wait.Until(() => Count(c.Run.Stderr, "control server: awake") == 2, null, "a second wake");
        using var http = c.Http();
        // This request may find the server awake (2) or wake it once more (3).
        var wakes = System.Text.RegularExpressions.Regex.Match(http.Get("metrics").Body, @"corral_control_server_wakes_total (\d+)");
        Assert.True(wakes.Success);
        Assert.InRange(int.Parse(wakes.Groups[1].Value), 2, 3);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Follow_streams_chunked_to_an_HTTP_1_1_client()
    {
        var dir = new ConfigDir("""
            services:
              talker:
                shell: true
                command: "trap 'echo talker got USR1' USR1; echo talker up; while :; do sleep 0.05; done"
            """);
        using var c = Controlled.Start(dir.Config);
        c.Run.WaitForLine(l => l.EndsWith("talker up", StringComparison.Ordinal));
        using var http = c.Http();
        var request = new HttpRequestMessage(HttpMethod.Get, "v1/logs?service=talker&n=1&follow=true");
        using var response = http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        Assert.Equal("talker | talker up", reader.ReadLine());
        Assert.Equal(0, c.Ctl("signal", "USR1", "talker").Code);
        // The signal goes to the whole process group: the shell's `sleep` may say it died of it first.
        var next = new List<string>();
        while (next.Count < 5 && !next.Contains("talker | talker got USR1") && reader.ReadLine() is { } line) next.Add(line);
        Assert.Contains("talker | talker got USR1", next);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void As_PID_1_the_control_socket_works_and_shutdown_ends_the_container_with_0()
    {
        var dir = new ConfigDir("""
            services:
              app: {command: sh -c 'echo app up; exec sleep 1000'}
            """);
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", CorralBinary.Path, "run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        var env = new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) };
        Wait.Until(() => File.Exists(Path.Combine(Run.RunDirectoryOf(run), "corral.sock")), null, "the socket");
        var status = Run.ExecWith(CorralBinary.Path, env, "ctl", "status", "--json");
        Assert.Equal(0, status.Code);
        // Inside its namespace, Corral is PID 1 and the service has a small pid of that namespace.
        var json = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.Equal(1, json.GetProperty("corral").GetProperty("pid").GetInt32());
        Assert.InRange(json.GetProperty("services")[0].GetProperty("pid").GetInt32(), 2, 100);
        Assert.Equal(0, Run.ExecWith(CorralBinary.Path, env, "ctl", "shutdown").Code);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void Sleeping_and_waking_again_leaks_no_descriptor()
    {
        var dir = new ConfigDir("""
            control: {idle_stop: 1s}
            services:
              app: {command: sleep 1000}
            """);
        using var c = Controlled.Start(dir.Config, "-v");
        int Fds() => Directory.GetFiles($"/proc/{c.Run.Pid}/fd").Length;
        var counts = new List<int>();
        for (var round = 1; round <= 3; round++)
        {
            Assert.Equal(0, c.Ctl("status").Code);
            Wait.Until(() => Count(c.Run.Stderr, "control server: asleep") == round, null, $"sleep {round}");
            counts.Add(Fds());
        }
        Assert.Equal(counts[0], counts[2]);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void A_control_socket_path_that_is_not_a_socket_is_left_alone()
    {
        var dir = new ConfigDir("");
        var precious = Path.Combine(dir.Path, "precious.txt");
        File.WriteAllText(precious, "keep me");
        File.WriteAllText(dir.Config, $$"""
            control: {socket: {{precious}}}
            services:
              app: {command: sh -c 'echo app up; exec sleep 1000'}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("exists and is not a socket"), null, "the warning");
        Assert.Equal("keep me", File.ReadAllText(precious));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal("keep me", File.ReadAllText(precious));
    }

    [Fact]
    public void A_socket_directory_writable_by_others_is_refused()
    {
        var dir = new ConfigDir("");
        var open = Path.Combine(dir.Path, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF & ~UnixFileMode.StickyBit); // 0777, not sticky
        File.WriteAllText(dir.Config, $$"""
            control: {socket: {{open}}/ctl.sock}
            services:
              app: {command: sh -c 'echo app up; exec sleep 1000'}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("is writable by others"), null, "the refusal");
        Assert.False(File.Exists(Path.Combine(open, "ctl.sock")));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    static int Count(string text, string what)
    {
        var n = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    static string ReadAll(Socket s)
    {
        s.ReceiveTimeout = 10_000;
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        try
        {
            int n;
            while ((n = s.Receive(buffer)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        catch (SocketException) { }
        return text.ToString();
    }

    static HttpSync.Reply Send(HttpClient http, string path, string credentials, bool get = false, bool raw = false)
    {
        var request = new HttpRequestMessage(get || path == "metrics" ? HttpMethod.Get : HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", raw ? credentials : Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http.Call(request);
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
