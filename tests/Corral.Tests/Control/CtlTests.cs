using System.Text.Json;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Control;

/// <summary>Every verb of `corral ctl` against a real running Corral, through its real socket.</summary>
public class CtlTests
{
    const string TwoServices = """
        services:
          web:
            shell: true
            command: "trap 'echo web got USR1' USR1; echo web up; while :; do sleep 0.05; done"
          worker:
            command: sh -c 'echo worker up; exec sleep 1000'
        """;

    [Fact]
    public void Status_shows_every_service_as_a_table_and_as_json()
    {
        var dir = new ConfigDir(TwoServices);
        using var c = Controlled.Start(dir.Config);
        var web = c.WaitRunning("web");
        var worker = c.WaitRunning("worker");

        var table = c.Ctl("status");
        Assert.Equal(0, table.Code);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Contains("UPTIME", lines[0]);
        Assert.Matches($@"^web\s+running\s+{web}\s+\d+s\s+0\s+-\s+yes", lines[1]);
        Assert.Matches($@"^worker\s+running\s+{worker}\s", lines[2]);

        var json = c.Status();
        Assert.Equal(c.Run.Pid, json.GetProperty("corral").GetProperty("pid").GetInt32());
        var s = json.GetProperty("services")[0];
        Assert.Equal("web", s.GetProperty("name").GetString());
        Assert.Equal("longrun", s.GetProperty("type").GetString());
        Assert.Equal(0, s.GetProperty("restarts").GetInt32());
        Assert.True(s.GetProperty("ready").GetBoolean());
        Assert.True(s.GetProperty("memory_bytes").GetInt64() > 0);

        // Only the named ones; an unknown name is an error for scripts.
        var one = c.Ctl("status", "worker");
        Assert.Equal(0, one.Code);
        Assert.DoesNotContain("web", one.Stdout);
        var unknown = c.Ctl("status", "nope");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no such service or group: nope", unknown.Stderr);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Stop_holds_a_service_down_start_brings_it_back_and_restart_replaces_its_process()
    {
        var dir = new ConfigDir(TwoServices);
        using var c = Controlled.Start(dir.Config);
        var first = c.WaitRunning("worker");

        var stop = c.Ctl("stop", "worker");
        Assert.Equal(0, stop.Code);
        Wait.Until(() => c.State("worker") == "exited", null, "worker stopped");
        Assert.False(ProcFs.Alive(first));
        // Stopped on purpose: not restarted, though its restart policy is always; status says so with 3.
        var status = c.Ctl("status");
        Assert.Equal(3, status.Code);
        Assert.Contains("stopped by request", status.Stdout);
        Assert.Equal("exited", c.State("worker"));

        Assert.Equal(0, c.Ctl("start", "worker").Code);
        var second = c.WaitRunning("worker");
        Assert.NotEqual(first, second);

        var restart = c.Ctl("restart", "worker");
        Assert.Equal(0, restart.Code);
        var third = c.WaitRunning("worker", not: second);
        Assert.False(ProcFs.Alive(second));
        // Restarts count the supervisor's own restarts after a crash, not a person's.
        Assert.Equal(0, c.Service("worker").GetProperty("restarts").GetInt32());
        Assert.Equal(0, c.Ctl("status").Code);
        Assert.Equal(0, c.Stop());
        Assert.False(ProcFs.Alive(third));
    }

    [Fact]
    public void All_names_every_service_and_an_unknown_name_changes_nothing()
    {
        var dir = new ConfigDir(TwoServices);
        using var c = Controlled.Start(dir.Config);
        var web = c.WaitRunning("web");
        c.WaitRunning("worker");

        var bad = c.Ctl("stop", "worker", "workr");
        Assert.Equal(1, bad.Code);
        Assert.Contains("no such service or group: workr", bad.Stderr);
        Assert.Contains("did you mean 'worker'", bad.Stderr);
        Assert.Equal("running", c.State("worker"));

        Assert.Equal(0, c.Ctl("stop", "all").Code);
        Wait.Until(() => c.State("web") == "exited" && c.State("worker") == "exited", null, "both stopped");
        Assert.False(ProcFs.Alive(web));
        Assert.False(c.Run.HasExited);
        Assert.Equal(0, c.Ctl("start", "all").Code);
        c.WaitRunning("web");
        c.WaitRunning("worker");
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Signal_reaches_the_service_and_bad_signals_or_stopped_services_are_refused()
    {
        var dir = new ConfigDir(TwoServices);
        using var c = Controlled.Start(dir.Config);
        c.Run.WaitForLine(l => l.EndsWith("web up", StringComparison.Ordinal));
        var pid = c.WaitRunning("web");

        Assert.Equal(0, c.Ctl("signal", "USR1", "web").Code);
        c.Run.WaitForLine(l => l.EndsWith("web got USR1", StringComparison.Ordinal));
        Assert.Equal(pid, c.Pid("web"));

        var wrong = c.Ctl("signal", "SIGNOPE", "web");
        Assert.Equal(2, wrong.Code);
        Assert.Contains("unknown signal", wrong.Stderr);
        Assert.Equal(0, c.Ctl("stop", "worker").Code);
        Wait.Until(() => c.State("worker") == "exited", null, "worker stopped");
        var notRunning = c.Ctl("signal", "HUP", "worker");
        Assert.Equal(1, notRunning.Code);
        Assert.Contains("not running", notRunning.Stderr);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Logs_shows_recent_lines_and_follow_sees_new_ones()
    {
        var dir = new ConfigDir("""
            services:
              talker:
                shell: true
                command: "trap 'echo talker got USR1' USR1; for i in 1 2 3 4 5; do echo line $$i; done; while :; do sleep 0.05; done"
              quiet:
                command: sh -c 'echo quiet says hi >&2; exec sleep 1000'
            """);
        using var c = Controlled.Start(dir.Config);
        c.Run.WaitForLine(l => l.EndsWith("line 5", StringComparison.Ordinal));
        Wait.Until(() => c.Ctl("logs", "quiet").Stdout.Contains("quiet says hi"), null, "quiet's line in the buffer");

        var recent = c.Ctl("logs", "-n", "2", "talker");
        Assert.Equal(0, recent.Code);
        Assert.Equal(["talker | line 4", "talker | line 5"], recent.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var all = c.Ctl("logs").Stdout;
        Assert.Contains("quiet | quiet says hi", all);
        Assert.Contains("talker | line 1", all);
        var json = c.Ctl("logs", "--json", "-n", "1", "quiet").Stdout;
        var line = JsonDocument.Parse(json).RootElement;
        Assert.Equal("stderr", line.GetProperty("stream").GetString());
        Assert.Equal("quiet says hi", line.GetProperty("message").GetString());

        using var follow = Run.Start(CorralBinary.Path, ["ctl", "logs", "-f", "-n", "1", "talker"],
            new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = c.RunDirectory });
        follow.WaitForLine("talker | line 5");
        Assert.Equal(0, c.Ctl("signal", "USR1", "talker").Code);
        follow.WaitForLine("talker | talker got USR1");
        Assert.False(follow.HasExited);

        Assert.Equal(1, c.Ctl("logs", "nope").Code);
        Assert.Equal(0, c.Stop());
        // Corral stopping ends the stream; the follower exits by itself.
        Assert.Equal(0, follow.WaitForExit());
    }

    [Fact]
    public void Wait_blocks_until_ready_and_says_timeout_or_failure_with_its_own_exit_codes()
    {
        var dir = new ConfigDir("""
            services:
              slow:
                shell: true
                command: "sleep 0.5; echo >&3; exec sleep 1000"
                ready: {notify_fd: 3}
              never:
                command: sleep 1000
                ready: {notify_fd: 3}
              broken:
                command: sh -c 'exit 3'
                restart: never
            """);
        using var c = Controlled.Start(dir.Config);
        var ok = c.Ctl("wait", "slow", "--ready", "--timeout", "20s");
        Assert.Equal(0, ok.Code);
        Assert.True(c.Service("slow").GetProperty("ready").GetBoolean());

        var late = c.Ctl("wait", "never", "--timeout", "300ms");
        Assert.Equal(124, late.Code);
        Assert.Contains("timed out", late.Stderr);
        Assert.Contains("never is running but not ready", late.Stderr);

        var hopeless = c.Ctl("wait", "broken", "--timeout", "20s");
        Assert.Equal(1, hopeless.Code);
        Assert.Contains("broken is failed", hopeless.Stderr);

        Assert.Equal(0, c.Ctl("wait", "never", "--running", "--timeout", "20s").Code);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Reload_through_ctl_applies_the_difference_and_keeps_unchanged_services_running()
    {
        var dir = new ConfigDir("""
            services:
              keep: {command: sh -c 'echo keep up; exec sleep 1000'}
              drop: {command: sh -c 'echo drop up; exec sleep 1000'}
              change: {command: sh -c 'echo change v1; exec sleep 1000'}
            """);
        using var c = Controlled.Start(dir.Config);
        var keep = c.WaitRunning("keep");
        var drop = c.WaitRunning("drop");
        var change = c.WaitRunning("change");

        File.WriteAllText(dir.Config, """
            services:
              keep: {command: sh -c 'echo keep up; exec sleep 1000'}
              change: {command: sh -c 'echo change v2; exec sleep 1000'}
              add: {command: sh -c 'echo add up; exec sleep 1000'}
            """);
        var reload = c.Ctl("reload");
        Assert.Equal(0, reload.Code);
        Assert.Contains("reloaded: 1 added, 1 removed, 1 changed, 1 unchanged", reload.Stdout);
        c.Run.WaitForLine(l => l.EndsWith("change v2", StringComparison.Ordinal));
        c.WaitRunning("add");
        Wait.Until(() => c.Status().GetProperty("services").EnumerateArray().All(s => s.GetProperty("name").GetString() != "drop"), null, "drop gone");
        Assert.Equal(keep, c.Pid("keep"));
        Assert.NotEqual(change, c.WaitRunning("change", not: change));
        Assert.False(ProcFs.Alive(drop));
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Reload_of_a_broken_config_is_refused_with_its_errors_and_leaves_everything_running()
    {
        var dir = new ConfigDir("""
            services:
              a: {command: sh -c 'echo a up; exec sleep 1000'}
            """);
        using var c = Controlled.Start(dir.Config);
        var a = c.WaitRunning("a");
        File.WriteAllText(dir.Config, "services:\n  a: {command: x, restart: sometimes}\n  b: {command: y, depends_on: [zz]}\n");
        var reload = c.Ctl("reload");
        Assert.Equal(1, reload.Code);
        Assert.Contains("the config has errors", reload.Stderr);
        Assert.Contains("corral.yaml:2", reload.Stderr);
        Assert.Contains("restart", reload.Stderr);
        Assert.Equal(a, c.Pid("a"));
        Assert.Equal(0, c.Ctl("status").Code);
        Assert.Equal(0, c.Stop());
        Assert.Single(c.Run.StdoutLines, l => l.EndsWith("a up", StringComparison.Ordinal));
    }

    [Fact]
    public void Shutdown_stops_every_service_and_corral_exits_0()
    {
        var dir = new ConfigDir(TwoServices);
        using var c = Controlled.Start(dir.Config);
        var web = c.WaitRunning("web");
        var shutdown = c.Ctl("shutdown");
        Assert.Equal(0, shutdown.Code);
        Assert.Contains("shutdown requested", shutdown.Stdout);
        Assert.Equal(0, c.Run.WaitForExit());
        Assert.False(ProcFs.Alive(web));
        // The socket goes with it; ctl then says Corral cannot be reached.
        Assert.False(File.Exists(c.Socket));
        var gone = c.Ctl("status");
        Assert.Equal(4, gone.Code);
        Assert.Contains("no control socket", gone.Stderr);
    }

    [Fact]
    public void Ctl_without_a_verb_or_with_an_unknown_one_prints_usage_and_exits_2()
    {
        var none = Run.Exec(CorralBinary.Path, "ctl");
        Assert.Equal(2, none.Code);
        Assert.Contains("Usage: corral ctl", none.Stderr);
        var help = Run.Exec(CorralBinary.Path, "ctl", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("wait NAME...", help.Stdout);
        var dir = new ConfigDir(TwoServices);
        using var c = Controlled.Start(dir.Config);
        var unknown = c.Ctl("frobnicate");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("unknown verb 'frobnicate'", unknown.Stderr);
        Assert.Equal(2, c.Ctl("start").Code);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void The_log_buffer_keeps_the_last_thousand_lines_of_each_service_in_order()
    {
        var dir = new ConfigDir("""
            services:
              chatty:
                shell: true
                command: "i=0; while [ $$i -lt 3000 ]; do i=$$((i+1)); echo n$$i; done; echo done; exec sleep 1000"
              quiet:
                command: sh -c 'echo only line; exec sleep 1000'
            """);
        using var c = Controlled.Start(dir.Config);
        c.Run.WaitForLine(l => l.EndsWith("| done", StringComparison.Ordinal));
        Wait.Until(() => c.Ctl("logs", "-n", "1", "chatty").Stdout.Contains("done"), null, "the last line in the buffer");
        var lines = c.Ctl("logs", "-n", "5000", "chatty").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // At least the last 1000 lines, at most one segment (128 lines) more, consecutive, ending with the last.
        Assert.InRange(lines.Length, 1000, 1128);
        Assert.Equal("chatty | done", lines[^1]);
        var numbers = lines[..^1].Select(l => int.Parse(l["chatty | n".Length..])).ToArray();
        Assert.Equal(3000, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Length), numbers);
        // The chatty one did not push the quiet one's line out.
        Assert.Contains("quiet | only line", c.Ctl("logs", "quiet").Stdout);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void A_group_name_acts_on_every_service_of_the_group()
    {
        var dir = new ConfigDir("""
            services:
              api: {command: sleep 1000, groups: [web]}
              static: {command: sleep 1000, groups: [web, front]}
              db: {command: sleep 1000}
            """);
        using var c = Controlled.Start(dir.Config);
        var api = c.WaitRunning("api");
        var stat = c.WaitRunning("static");
        var db = c.WaitRunning("db");

        var restart = c.Ctl("restart", "web");
        Assert.Equal(0, restart.Code);
        Assert.Contains("api: restarting by request", restart.Stdout);
        Assert.Contains("static: restarting by request", restart.Stdout);
        c.WaitRunning("api", not: api);
        c.WaitRunning("static", not: stat);
        Assert.Equal(db, c.Pid("db"));

        // supervisorctl's spelling works too, and status filters by group.
        Assert.Equal(0, c.Ctl("stop", "front:*").Code);
        Wait.Until(() => c.State("static") == "exited", null, "static stopped");
        Assert.Equal("running", c.State("api"));
        var status = c.Ctl("status", "web");
        Assert.Equal(3, status.Code);
        Assert.Contains("api", status.Stdout);
        Assert.DoesNotContain("db", status.Stdout);
        Assert.Equal(["web"], c.Service("api").GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(1, c.Ctl("restart", "backend").Code);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Waiting_and_asking_for_status_change_nothing_and_do_not_spin()
    {
        var dir = new ConfigDir("""
            services:
              never:
                command: sleep 1000
                ready: {notify_fd: 3}
            """);
        using var c = Controlled.Start(dir.Config);
        c.WaitRunning("never");
        var status = Path.Combine(c.RunDirectory, "status.json");
        // The file follows a change within 50 ms: once it says running, nothing more is due.
        Wait.Until(() => File.ReadAllText(status).Contains("\"name\":\"never\",\"type\":\"longrun\",\"state\":\"running\"", StringComparison.Ordinal), null, "status.json to say never is running");
        var written = File.GetLastWriteTimeUtc(status);
        var cpuBefore = ProcFs.CpuTicks(c.Run.Pid);
        // A wait that times out, and queries: nothing changed, so the status file is not rewritten,
        // and Corral does not busy-loop answering the waiter (a second of spinning is ~100 ticks).
        Assert.Equal(124, c.Ctl("wait", "never", "--timeout", "1s").Code);
        for (var i = 0; i < 5; i++) Assert.Equal(3, c.Ctl("status").Code);
        Assert.Equal(written, File.GetLastWriteTimeUtc(status));
        Assert.True(ProcFs.CpuTicks(c.Run.Pid) - cpuBefore < 50, $"corral used {ProcFs.CpuTicks(c.Run.Pid) - cpuBefore} ticks");
        Assert.Equal(0, c.Stop());
    }
}
