using Corral.Tests.Control;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Compat;

/// <summary>
/// The real supervisorctl (Debian's supervisor 4.2.5), unchanged, against a running Corral: what it
/// prints and its exit codes, as the golden transcripts in /work/shared/compat/supervisor show
/// them for supervisord. Skipped when supervisorctl is not installed.
/// </summary>
public class SupervisorctlTests
{
    const string Supervisorctl = "/usr/bin/supervisorctl";

    const string Config = """
        services:
          sleeper: {command: sleep 1000}
          ticker:
            groups: [workers]
            command: sh -c 'i=0; while true; do i=$$((i+1)); echo "tick $$i"; echo "warn $$i" >&2; sleep 0.1; done'
          failer: {command: sh -c 'echo failing; exit 3', restart: never}
        """;

    static Result Ctl(Controlled c, params string[] args) => Run.Exec(Supervisorctl, ["-s", $"unix://{c.Socket}", .. args]);

    static string[] Lines(Result r) => r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static Controlled Start(string yaml = Config)
    {
        var c = Controlled.Start(new ConfigDir(yaml).Config);
        c.WaitRunning("sleeper");
        return c;
    }

    [Fact]
    public void Status_lists_every_process_by_namespec_and_exits_3_when_one_is_not_running()
    {
        if (!File.Exists(Supervisorctl)) return;
        using var c = Start();
        var ticker = c.WaitRunning("ticker");
        Wait.Until(() => c.State("failer") == "failed" ? true : (bool?)null, null, "failer to fail");
        var r = Ctl(c, "status");
        Assert.Equal(3, r.Code);
        var lines = Lines(r);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^failer {27}EXITED    exited with code 3$", lines[0]);
        Assert.Matches($@"^sleeper {{26}}RUNNING   pid {c.Pid("sleeper")}, uptime 0:00:\d\d$", lines[1]);
        Assert.Matches($@"^workers:ticker {{19}}RUNNING   pid {ticker}, uptime ", lines[2]);

        var named = Ctl(c, "status", "sleeper", "workers:*", "nosuch");
        Assert.Equal(4, named.Code);
        Assert.Equal("nosuch: ERROR (no such process)", Lines(named)[0]);
        Assert.StartsWith("sleeper ", Lines(named)[1]);
        Assert.StartsWith("workers:ticker ", Lines(named)[2]);
        Assert.Equal(0, Ctl(c, "status", "sleeper").Code);
    }

    [Fact]
    public void Pid_version_and_avail_answer_as_supervisord_does()
    {
        if (!File.Exists(Supervisorctl)) return;
        using var c = Start();
        var ticker = c.WaitRunning("ticker");
        Assert.Equal($"{c.Run.Pid}", Ctl(c, "pid").Stdout);
        var pids = Ctl(c, "pid", "workers:ticker", "nosuch");
        Assert.Equal(1, pids.Code);
        Assert.Equal([$"{ticker}", "No such process nosuch"], Lines(pids));
        var version = Ctl(c, "version");
        Assert.Equal(0, version.Code);
        Assert.Matches(@"^\d+\.\d+", version.Stdout);
        Assert.Equal(["failer                           in use    auto      999:999",
            "sleeper                          in use    auto      999:999",
            "workers:ticker                   in use    auto      999:999"], Lines(Ctl(c, "avail")));
    }

    [Fact]
    public void Start_stop_restart_one_a_group_and_all_with_supervisords_messages_and_exit_codes()
    {
        if (!File.Exists(Supervisorctl)) return;
        using var c = Start();
        var sleeper = c.Pid("sleeper");
        c.WaitRunning("ticker");

        var stop = Ctl(c, "stop", "sleeper");
        Assert.Equal(("sleeper: stopped", 0), (stop.Stdout, stop.Code));
        var status = Ctl(c, "status", "sleeper");
        Assert.Equal(3, status.Code);
        Assert.Matches(@"^sleeper +STOPPED +killed by SIGTERM", status.Stdout);
        var again = Ctl(c, "stop", "sleeper");
        Assert.Equal(("sleeper: ERROR (not running)", 0), (again.Stdout, again.Code));
        var start = Ctl(c, "start", "sleeper");
        Assert.Equal(("sleeper: started", 0), (start.Stdout, start.Code));
        Assert.NotEqual(sleeper, c.Pid("sleeper"));
        var already = Ctl(c, "start", "sleeper");
        Assert.Equal(("sleeper: ERROR (already started)", 0), (already.Stdout, already.Code));
        var restart = Ctl(c, "restart", "sleeper");
        Assert.Equal(("sleeper: stopped\nsleeper: started", 0), (restart.Stdout, restart.Code));
        var unknown = Ctl(c, "start", "nosuch");
        Assert.Equal(("nosuch: ERROR (no such process)", 1), (unknown.Stdout, unknown.Code));

        Assert.Equal("workers:ticker: stopped", Ctl(c, "stop", "workers:*").Stdout);
        Assert.Equal("workers:ticker: started", Ctl(c, "start", "workers:*").Stdout);
        var stopAll = Ctl(c, "stop", "all");
        // A failure here once (exit 7, not reproduced in 12 runs) said nothing more: show it all.
        Assert.True((stopAll.Code, stopAll.Stdout) == (0, "sleeper: stopped\nworkers:ticker: stopped"),
            $"stop all: {stopAll}\ncorral's stderr:\n{c.Run.Stderr}");
        var startAll = Ctl(c, "start", "all");
        Assert.Equal(0, startAll.Code);
        Assert.Contains("sleeper: started", Lines(startAll));
        Assert.Contains("workers:ticker: started", Lines(startAll));
    }

    [Fact]
    public void Signal_a_process_a_group_a_bad_signal_and_a_stopped_process()
    {
        if (!File.Exists(Supervisorctl)) return;
        using var c = Start("""
            services:
              sleeper: {command: sleep 1000}
              ticker:
                groups: [workers]
                shell: true
                command: "trap 'echo got USR1' USR1; echo up; while :; do sleep 0.05; done"
              failer: {command: sh -c 'exit 3', restart: never}
            """);
        c.WaitRunning("ticker");
        c.Run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        var one = Ctl(c, "signal", "USR1", "workers:ticker");
        Assert.Equal(("workers:ticker: signalled", 0), (one.Stdout, one.Code));
        c.Run.WaitForLine(l => l.EndsWith("got USR1", StringComparison.Ordinal));
        Assert.Equal("workers:ticker: signalled", Ctl(c, "signal", "USR1", "workers:*").Stdout);
        var bad = Ctl(c, "signal", "BOGUS", "sleeper");
        Assert.Equal(("sleeper: ERROR (bad signal name)", 1), (bad.Stdout, bad.Code));
        Wait.Until(() => c.State("failer") == "failed" ? true : (bool?)null, null, "failer to fail");
        var stopped = Ctl(c, "signal", "HUP", "failer");
        Assert.Equal(("failer: ERROR (not running)", 7), (stopped.Stdout, stopped.Code));
    }

    [Fact]
    public void Tail_tail_f_clear_and_maintail_read_the_recent_lines()
    {
        if (!File.Exists(Supervisorctl)) return;
        using var c = Start();
        c.Run.WaitForLine(l => l.EndsWith("tick 3", StringComparison.Ordinal));
        var tail = Ctl(c, "tail", "workers:ticker");
        Assert.Equal(0, tail.Code);
        Assert.Contains("tick 1", Lines(tail));
        Assert.DoesNotContain(Lines(tail), l => l.StartsWith("warn", StringComparison.Ordinal));
        Assert.Contains("warn 1", Lines(Ctl(c, "tail", "workers:ticker", "stderr")));
        Assert.Equal(7, Ctl(c, "tail", "-7", "workers:ticker").Stdout.Length);
        Assert.Contains("starting", Ctl(c, "maintail").Stdout);

        using (var follow = Run.Start(Supervisorctl, ["-s", $"unix://{c.Socket}", "tail", "-f", "workers:ticker"]))
        {
            follow.WaitForLine("==> Press Ctrl-C to exit <==");
            var first = follow.WaitForLine(l => l.StartsWith("tick ", StringComparison.Ordinal));
            var n = int.Parse(first[5..]);
            // New lines keep coming while it follows.
            follow.WaitForLine($"tick {n + 3}");
        }

        var clear = Ctl(c, "clear", "workers:ticker");
        Assert.Equal(("workers:ticker: cleared", 0), (clear.Stdout, clear.Code));
        // Whole lines: "tick 19" written after the clear is not "tick 1".
        Assert.DoesNotContain("tick 1", Lines(Ctl(c, "tail", "workers:ticker")));
    }

    [Fact]
    public void Reread_add_remove_and_update_follow_edits_of_the_config()
    {
        if (!File.Exists(Supervisorctl)) return;
        var dir = new ConfigDir("services:\n  sleeper: {command: sleep 1000}");
        using var c = Controlled.Start(dir.Config);
        c.WaitRunning("sleeper");
        Assert.Equal("No config updates to processes", Ctl(c, "reread").Stdout);

        File.WriteAllText(dir.Config, "services:\n  sleeper: {command: sleep 1000}\n  extra: {command: sleep 999}");
        Assert.Equal("extra: available", Ctl(c, "reread").Stdout);
        Assert.Throws<InvalidOperationException>(() => c.Service("extra"));
        var add = Ctl(c, "add", "extra");
        Assert.Equal(("extra: added process group", 0), (add.Stdout, add.Code));
        c.WaitRunning("extra");
        Assert.Equal("ERROR: process group already active", Ctl(c, "add", "extra").Stdout);
        var still = Ctl(c, "remove", "extra");
        Assert.Equal(("ERROR: process/group still running: extra", 1), (still.Stdout, still.Code));
        Assert.Equal("extra: stopped", Ctl(c, "stop", "extra").Stdout);
        Assert.Equal("extra: removed process group", Ctl(c, "remove", "extra").Stdout);
        Wait.Until(() => c.Status().GetProperty("services").GetArrayLength() == 1 ? true : (bool?)null, null, "extra to go");

        Assert.Equal("extra: added process group", Ctl(c, "update").Stdout);
        var extra = c.WaitRunning("extra");
        File.WriteAllText(dir.Config, "services:\n  sleeper: {command: sleep 1000}\n  extra: {command: sleep 998}");
        Assert.Equal("extra: stopped\nextra: updated process group", Ctl(c, "update").Stdout);
        c.WaitRunning("extra", not: extra);
        File.WriteAllText(dir.Config, "services:\n  sleeper: {command: sleep 1000}");
        Assert.Equal("extra: stopped\nextra: removed process group", Ctl(c, "update").Stdout);
        Wait.Until(() => c.Status().GetProperty("services").GetArrayLength() == 1 ? true : (bool?)null, null, "extra to go");
    }

    [Fact]
    public void Shutdown_stops_corral()
    {
        if (!File.Exists(Supervisorctl)) return;
        using var c = Start();
        var r = Ctl(c, "shutdown");
        Assert.Equal(("Shut down", 0), (r.Stdout, r.Code));
        Assert.Equal(0, c.Run.WaitForExit());
    }

    [Fact]
    public void Over_TCP_the_right_credentials_pass_and_a_wrong_password_is_refused()
    {
        if (!File.Exists(Supervisorctl)) return;
        var port = 20000 + Environment.ProcessId % 20000;
        using var c = Start($$"""
            control:
              tcp: {listen: "127.0.0.1:{{port}}", username: admin, password: s3cret}
            services:
              sleeper: {command: sleep 1000}
            """);
        var url = $"http://127.0.0.1:{port}";
        var ok = Run.Exec(Supervisorctl, ["-s", url, "-u", "admin", "-p", "s3cret", "status"]);
        Assert.Equal(0, ok.Code);
        Assert.StartsWith("sleeper ", ok.Stdout);
        var wrong = Run.Exec(Supervisorctl, ["-s", url, "-u", "admin", "-p", "nope", "version"]);
        Assert.Equal(1, wrong.Code);
        Assert.StartsWith("Server requires authentication", wrong.Stdout);
        // supervisorctl sends its credentials on the Unix socket too: they are accepted there.
        Assert.Equal(0, Ctl(c, "-u", "admin", "-p", "whatever", "status", "sleeper").Code);
    }
}
