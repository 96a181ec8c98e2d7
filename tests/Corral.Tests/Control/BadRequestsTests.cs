using System.Net.Sockets;
using System.Text;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Control;

/// <summary>
/// The control socket of a real Corral under a few hundred generated and mutated requests
/// (malformed request lines, huge headers and bodies, bad JSON and XML-RPC, wrong methods, a
/// nesting that once overflowed the stack, slow partial requests): every connection is answered
/// with a 4xx or closed, never a 500, and afterwards Corral answers ctl status, its services
/// are untouched, and its memory and descriptors are back within bounds (docs/reliability.md,
/// "Bad input").
/// </summary>
public class BadRequestsTests
{
    /// <summary>XML-RPC calls that only read: mutations of them must never stop or signal anything.</summary>
    static readonly string[] readOnlyCalls =
    [
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getState</methodName>\n<params>\n</params>\n</methodCall>\n",
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getAllProcessInfo</methodName>\n<params>\n</params>\n</methodCall>\n",
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getProcessInfo</methodName>\n<params>\n<param>\n<value><string>app</string></value>\n</param>\n</params>\n</methodCall>\n",
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.readLog</methodName>\n<params>\n<param>\n<value><int>0</int></value>\n</param>\n<param>\n<value><int>100</int></value>\n</param>\n</params>\n</methodCall>\n",
        "<?xml version='1.0'?><methodCall><methodName>system.multicall</methodName><params><param><value><array><data><value><struct><member><name>methodName</name><value><string>system.listMethods</string></value></member><member><name>params</name><value><array><data/></array></value></member></struct></value></data></array></value></param></params></methodCall>",
    ];

    static readonly string[] paths =
    [
        "/", "/v1", "/v1/status", "/v1/services", "/v1/services/app", "/v1/services/nosuch/start", "/v1/services/nosuch/signal?signal=HUP",
        "/v1/services/nosuch/scale?replicas=99999999999", "/v1/logs?service=app&n=-1", "/v1/logs?n=99999999999", "/v1/wait?service=nosuch&timeout=1e308",
        "/v1/wait?for=bogus", "/v1/health?service=%00", "/metrics", "/RPC2", "/logtail/nosuch", "/v1/services/%ED%A0%80/stop", "/v1/services/,,,/start",
        "/v1/services/%25%25/restart", "/../../etc/passwd", "//v1//status", "/v1/status?" + new string('a', 8000),
    ];

    static readonly string[] methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW", "", "G\0ET", "GET GET"];

    static readonly string[] bodies =
    [
        "", "{", "{\"a\":", "[1,2", "null", "{\"names\": [\"app\"]}", "\0\0\0", "<methodCall>", "<methodCall><methodName>x</methodName><params><param><value><int>99999999999999999999</int></value></param></params></methodCall>",
        "<methodCall><methodName>a&#x110000;</methodName></methodCall>", "<methodCall><methodName>a&#xD800;</methodName></methodCall>",
        "<methodCall><methodName>system.multicall</methodName><params><param><value><array><data><value><struct><member><name>methodName</name><value>system.multicall</value></member></struct></value></data></array></value></param></params></methodCall>",
    ];

    [Fact]
    public void Hundreds_of_bad_requests_leave_the_control_API_answering_and_the_services_untouched()
    {
        var dir = new ConfigDir("""
            services:
              app: {command: sh -c 'echo app up; exec sleep 1000'}
            """);
        using var c = Controlled.Start(dir.Config);
        var app = c.WaitRunning("app");
        var random = new Random(1414);

        // Warm up (the control server wakes, Kestrel's pools fill), then take the baseline.
        for (var i = 0; i < 20; i++) Exchange(c, Request("GET", paths[random.Next(paths.Length)], ""));
        var (rssBefore, fdsBefore) = Usage(c.Run.Pid);

        var statuses = new Dictionary<string, int>();
        for (var i = 0; i < 300; i++)
        {
            var request = Generate(random, i);
            var answer = Exchange(c, request);
            var status = answer.Length >= 12 && answer.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? answer[9..12] : answer.Length == 0 ? "closed" : "other";
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status is not ("500" or "other"), $"request {i} got {Shorten(answer)}\nfor {Shorten(Encoding.Latin1.GetString(request))}");
            Assert.False(c.Run.HasExited, $"Corral exited after request {i}: {Shorten(Encoding.Latin1.GetString(request))}\n{c.Run.Stderr}");
        }

        // Slowloris: partial requests held open while a real client is served within its deadline.
        var slow = new List<Socket>();
        for (var i = 0; i < 30; i++)
        {
            var s = c.Raw();
            s.Send(Encoding.ASCII.GetBytes(i % 2 == 0 ? "GET /v1/sta" : "POST /RPC2 HTTP/1.1\r\nContent-Length: 1000\r\n\r\n<metho"));
            slow.Add(s);
        }
        var ctl = c.Ctl("status");
        Assert.Equal(0, ctl.Code);
        Assert.Contains("app", ctl.Stdout);
        foreach (var s in slow) s.Dispose();

        Assert.Equal(app, c.Pid("app"));
        Assert.Equal("running", c.State("app"));
        Assert.Equal(0, c.Service("app").GetProperty("restarts").GetInt32());
        // Descriptors come back once the connections are closed; memory stays near where it was.
        Wait.Until(() => Usage(c.Run.Pid).Fds <= fdsBefore + 4, TimeSpan.FromSeconds(30), $"fds back near {fdsBefore} (now {Usage(c.Run.Pid).Fds})");
        var (rssAfter, _) = Usage(c.Run.Pid);
        Assert.True(rssAfter < rssBefore + 64L * 1024 * 1024, $"RSS grew from {rssBefore / 1024} kB to {rssAfter / 1024} kB; statuses {string.Join(", ", statuses)}");
        Assert.Equal(0, c.Stop());
    }

    /// <summary>One request: a well-formed one with a bad part, a mutated one, or a known trap.</summary>
    static byte[] Generate(Random r, int i)
    {
        switch (i % 10)
        {
            case 0:
                // XML-RPC nested 3,000 deep in under 64 KB: once a stack overflow, which kills PID 1.
                var deep = string.Concat(Enumerable.Repeat("<value><array><data>", 3000));
                return Request("POST", "/RPC2", $"<methodCall><methodName>m</methodName><params><param>{deep}</param></params></methodCall>");
            case 1: return Mutate(r, Request("POST", "/RPC2", readOnlyCalls[r.Next(readOnlyCalls.Length)]));
            case 2: return Request(methods[r.Next(methods.Length)], paths[r.Next(paths.Length)], bodies[r.Next(bodies.Length)]);
            case 3: return Request("POST", "/RPC2", bodies[r.Next(bodies.Length)]);
            case 4:
                // Huge or lying lengths, broken chunking, huge headers.
                return Encoding.Latin1.GetBytes(r.Next(5) switch
                {
                    0 => "POST /RPC2 HTTP/1.1\r\nHost: c\r\nContent-Length: 99999999999999999999\r\n\r\nx",
                    1 => "POST /RPC2 HTTP/1.1\r\nHost: c\r\nContent-Length: 10000000\r\n\r\n" + new string('<', 200_000),
                    2 => "POST /RPC2 HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\nabc\r\n",
                    3 => "GET /v1/status HTTP/1.1\r\nHost: c\r\n" + string.Concat(Enumerable.Range(0, 500).Select(h => $"X-{h}: {new string('v', 100)}\r\n")) + "\r\n",
                    _ => "POST /RPC2 HTTP/1.1\r\nHost: c\r\nContent-Length: -1\r\n\r\n",
                });
            case 5:
                // Malformed request lines.
                return Encoding.Latin1.GetBytes(new[] { "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "\0\0\0\0\r\n\r\n", "GET /%00 HTTP/1.1\r\nHost: c\r\n\r\n",
                    "GET /v1/status\r\n\r\n", " / HTTP/1.1\r\n\r\n", "GET /v1/status HTTP/1.1\nHost: c\n\n", "GET /\u00ff HTTP/1.1\r\nHost: c\r\n\r\n" }[r.Next(8)]);
            case 6:
                var junk = new byte[r.Next(1, 4096)];
                r.NextBytes(junk);
                return junk;
            default: return Mutate(r, Request(methods[r.Next(3)], paths[r.Next(paths.Length)], bodies[r.Next(bodies.Length)]));
        }
    }

    static byte[] Request(string method, string path, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"{method} {path} HTTP/1.1\r\nHost: corral\r\nContent-Type: text/xml\r\nContent-Length: {bytes.Length}\r\n\r\n";
        return [.. Encoding.Latin1.GetBytes(head), .. bytes];
    }

    /// <summary>A few bytes flipped, inserted, deleted or the request cut short (the length header then lies).</summary>
    static byte[] Mutate(Random r, byte[] request)
    {
        var bytes = request.ToList();
        for (var n = r.Next(1, 4); n > 0 && bytes.Count > 0; n--)
        {
            var at = r.Next(bytes.Count);
            switch (r.Next(4))
            {
                case 0: bytes[at] = (byte)r.Next(256); break;
                case 1: bytes.Insert(at, (byte)"<>&;\0\r\n/#"[r.Next(9)]); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Sends the request, says it is complete, and reads the answer until the server closes (bounded by a deadline).</summary>
    static string Exchange(Controlled c, byte[] request)
    {
        using var s = c.Raw();
        s.SendTimeout = 10_000;
        try
        {
            s.Send(request);
            s.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException) { }
        s.ReceiveTimeout = 15_000;
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        try
        {
            int n;
            while ((n = s.Receive(buffer)) > 0) text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
        catch (SocketException) { }
        return text.ToString();
    }

    static (long Rss, int Fds) Usage(int pid)
    {
        var rss = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return (kb * 1024, Directory.GetFiles($"/proc/{pid}/fd").Length);
    }

    static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length} chars)";
}
