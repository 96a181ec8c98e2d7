using System.Text.RegularExpressions;
using Corral.Tests.Control;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Compat;

/// <summary>
/// Corral invoked as supervisorctl (a symlink) against the real /usr/bin/supervisorctl: each
/// command line through both, against the same running Corral, must print the same stdout and
/// exit with the same code (uptimes masked); and the personality drives a real supervisord.
/// Skipped when Debian's supervisor is not installed.
/// </summary>
public sealed partial class SupervisorctlPersonalityTests
{
    const string Real = "/usr/bin/supervisorctl";

    static readonly Lazy<string> ours = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("ctl-links-").FullName;
        var link = Path.Combine(dir, "supervisorctl");
        File.CreateSymbolicLink(link, CorralBinary.Path);
        return link;
    });

    const string Config = """
        services:
          sleeper: {command: sleep 1000}
          talker: {command: sh -c 'echo hello; echo oops >&2; exec sleep 1000'}
          ticker:
            groups: [workers]
            command: sh -c 'i=0; while true; do i=$$((i+1)); echo "tick $$i"; sleep 0.1; done'
          failer: {command: sh -c 'echo failing; exit 3', restart: never}
        """;

    static Result Mask(Result r) => r with { Stdout = Uptime().Replace(r.Stdout, "uptime U") };

    /// <summary>The command through the real supervisorctl, then through the personality: same stdout, same exit code.</summary>
    static void Same(string[] args, string? note = null)
    {
        var real = Mask(Run.Exec(Real, args));
        var personality = Mask(Run.Exec(ours.Value, args));
        Assert.True((real.Code, real.Stdout) == (personality.Code, personality.Stdout),
            $"supervisorctl {string.Join(' ', args)}{note}\n--- real ({real.Code}):\n{real.Stdout}\n{real.Stderr}\n--- corral ({personality.Code}):\n{personality.Stdout}\n{personality.Stderr}");
    }

    static Controlled Start(string yaml = Config)
    {
        var c = Controlled.Start(new ConfigDir(yaml).Config);
        c.WaitRunning("sleeper");
        c.WaitRunning("talker");
        c.WaitRunning("ticker");
        Wait.Until(() => c.State("failer") == "failed" ? true : (bool?)null, null, "failer to fail");
        return c;
    }

    [Fact]
    public void Every_command_prints_the_same_and_exits_the_same_as_the_real_supervisorctl()
    {
        if (!File.Exists(Real)) return;
        using var c = Start();
        c.Run.WaitForLine(l => l.EndsWith("hello", StringComparison.Ordinal));
        string[] S(params string[] args) => ["-s", $"unix://{c.Socket}", .. args];

        // Reading: status (exit 3, 4), pid, avail, version, tail, maintail, help.
        foreach (var line in new[]
        {
            "status", "status sleeper", "status workers:*", "status sleeper nosuch", "status nogroup:*", "status all",
            "pid", "pid sleeper", "pid nosuch", "pid failer", "avail", "version",
            "tail talker", "tail talker stderr", "tail -3 talker", "tail talker bogus", "tail -x talker", "tail", "tail nosuch",
            "maintail -200", "maintail x", "help", "help tail", "help nosuch", "?status", "frobnicate", "avail extra",
            "start nosuch", "start nogroup:*", "start sleeper", "stop nosuch", "stop failer", "start", "stop",
            "signal CONT sleeper", "signal CONT workers:*", "signal BOGUS sleeper", "signal HUP failer", "signal HUP",
            "clear nosuch", "reread", "update", "add nosuch", "remove nosuch", "remove sleeper", "version extra",
        })
            Same(S(line.Split(' ')));

        // Changing: each pair leaves the state as it found it, so both see the same.
        foreach (var (line, undo) in new[]
        {
            ("stop sleeper", "start sleeper"), ("start sleeper", ""), ("restart sleeper", ""), ("stop workers:*", "start workers:*"),
            ("stop all", "start all"), ("signal CONT all", ""), ("clear talker", ""), ("clear all", ""),
        })
        {
            foreach (var ctl in new[] { Real, ours.Value })
            {
                var r = Mask(Run.Exec(ctl, S(line.Split(' '))));
                if (ctl == Real) Remember(line, r);
                else Assert.True(Remembered(line) == (r.Code, r.Stdout), $"supervisorctl {line}\n--- real: {Remembered(line)}\n--- corral: {(r.Code, r.Stdout)}\n{r.Stderr}");
                if (undo.Length > 0) Run.Exec(Real, S(undo.Split(' ')));
                c.WaitRunning("sleeper");
            }
        }
        Wait.Until(() => c.State("ticker") == "running" ? true : (bool?)null, null, "ticker back");
        Same(S("status", "sleeper", "talker"));
        Same(S("tail", "talker"));
    }

    readonly Dictionary<string, (int, string)> remembered = [];

    void Remember(string line, Result r) => remembered[line] = (r.Code, r.Stdout);

    (int, string) Remembered(string line) => remembered[line];

    [Fact]
    public void Config_file_search_options_and_unreachable_servers_answer_as_the_real_one()
    {
        if (!File.Exists(Real)) return;
        using var c = Start();
        var dir = Directory.CreateTempSubdirectory("ctl-conf-").FullName;
        var conf = Path.Combine(dir, "supervisord.conf");
        File.WriteAllText(conf, $"[supervisorctl]\nserverurl=unix://{c.Socket}\n");
        Same(["-c", conf, "status"]);
        Same(["-c", conf, "pid", "sleeper"]);
        Same(["--configuration", conf, "status", "sleeper"]);
        Same(["-c", conf, "open", $"unix://{c.Socket}"]);
        Same(["-c", conf, "open", "ftp://x"]);
        var noSection = Path.Combine(dir, "empty.conf");
        File.WriteAllText(noSection, "[supervisord]\n");
        foreach (var args in new[]
        {
            new[] { "-c", noSection, "status" }, ["-h"], ["--help"], ["-c", Path.Combine(dir, "missing.conf"), "status"], ["-x"], ["--bogus", "status"],
            ["-s", "unix:///nonexistent/sock", "status"], ["-s", "unix:///nonexistent/sock", "stop", "x"], ["-s", "unix:///nonexistent/sock", "avail"],
            ["-s", "unix:///nonexistent/sock", "shutdown"], ["-s", "http://127.0.0.1:1", "status"], ["-s", "http://127.0.0.1:1", "reread"],
            ["-s", "http://127.0.0.1:1", "shutdown"],
        })
        {
            var real = Run.Exec(Real, args);
            var personality = Run.Exec(ours.Value, args);
            Assert.Equal((real.Code, real.Stdout.Replace(Real, "PROG")), (personality.Code, personality.Stdout.Replace(ours.Value, "PROG")));
            Assert.Equal(real.Stderr.Replace(Real, "PROG"), personality.Stderr.Replace(ours.Value, "PROG"));
        }
    }

    [Fact]
    public void Tail_f_streams_until_interrupted_and_shutdown_stops_corral()
    {
        if (!File.Exists(Real)) return;
        using var c = Start();
        foreach (var ctl in new[] { Real, ours.Value })
        {
            using var follow = Run.Start(ctl, ["-s", $"unix://{c.Socket}", "tail", "-f", "workers:ticker"]);
            follow.WaitForLine("==> Press Ctrl-C to exit <==");
            var n = int.Parse(follow.WaitForLine(l => l.StartsWith("tick ", StringComparison.Ordinal))[5..]);
            follow.WaitForLine($"tick {n + 2}");
            follow.Signal(Sig.INT);
            Assert.Equal(0, follow.WaitForExit());
        }
        var shutdown = Run.Exec(ours.Value, "-s", $"unix://{c.Socket}", "shutdown");
        Assert.Equal((0, "Shut down"), (shutdown.Code, shutdown.Stdout));
        Assert.Equal(0, c.Run.WaitForExit());
    }

    [Fact]
    public void The_shell_reads_commands_from_stdin_after_showing_status()
    {
        if (!File.Exists(Real)) return;
        using var c = Start();
        var outputs = new List<(int, string)>();
        foreach (var ctl in new[] { Real, ours.Value })
        {
            using var shell = Run.Start(ctl, ["-s", $"unix://{c.Socket}"], redirectStdin: true);
            shell.Stdin.Write("pid sleeper\nbogus\nstatus sleeper\n");
            shell.Stdin.Close();
            var code = shell.WaitForExit();
            outputs.Add((code, Uptime().Replace(shell.Stdout, "uptime U")));
        }
        Assert.Equal(outputs[0], outputs[1]);
    }

    [Fact]
    public void Over_TCP_credentials_are_sent_and_a_refusal_reads_as_the_real_ones()
    {
        if (!File.Exists(Real)) return;
        var port = 20000 + (Environment.ProcessId + 7) % 20000;
        using var c = Controlled.Start(new ConfigDir($$"""
            control:
              tcp: {listen: "127.0.0.1:{{port}}", username: admin, password: s3cret}
            services:
              sleeper: {command: sleep 1000}
            """).Config);
        c.WaitRunning("sleeper");
        var url = $"http://127.0.0.1:{port}";
        Same(["-s", url, "-u", "admin", "-p", "s3cret", "status"]);
        Same(["-s", url, "-u", "admin", "-p", "nope", "version"]);
        Same(["-s", url, "status"]);
    }

    [Fact]
    public void The_personality_drives_a_real_supervisord()
    {
        if (!File.Exists(SupervisordConf.Supervisord)) return;
        var dir = Directory.CreateTempSubdirectory("ctl-real-").FullName;
        var conf = Path.Combine(dir, "supervisord.conf");
        File.WriteAllText(conf, SupervisordConf.Header(dir) + $"""
            [program:sleeper]
            command=sleep 1000
            startsecs=0

            [program:talker]
            command=sh -c 'echo hello; exec sleep 1000'
            startsecs=0
            """);
        using var supervisord = Run.Start(SupervisordConf.Supervisord, ["-n", "-c", conf]);
        Wait.Until(() => Run.Exec(Real, "-c", conf, "status").Code == 0 ? true : (bool?)null, null, "supervisord up, both programs running");
        foreach (var line in new[] { "status", "status sleeper nosuch", "pid sleeper", "avail", "version", "tail talker", "maintail -100", "signal CONT sleeper", "reread" })
            Same(["-c", conf, .. line.Split(' ')]);
        var stop = Run.Exec(ours.Value, "-c", conf, "stop", "sleeper");
        Assert.Equal((0, "sleeper: stopped"), (stop.Code, stop.Stdout));
        var status = Run.Exec(ours.Value, "-c", conf, "status", "sleeper");
        Assert.Equal(3, status.Code);
        Assert.Matches(@"^sleeper +STOPPED ", status.Stdout);
        Same(["-c", conf, "status"]);
        var start = Run.Exec(ours.Value, "-c", conf, "start", "sleeper");
        Assert.Equal((0, "sleeper: started"), (start.Code, start.Stdout));
        var shutdown = Run.Exec(ours.Value, "-c", conf, "shutdown");
        Assert.Equal((0, "Shut down"), (shutdown.Code, shutdown.Stdout));
        supervisord.WaitForExit();
    }

    [GeneratedRegex(@"uptime \d+:\d\d:\d\d")]
    private static partial Regex Uptime();
}
