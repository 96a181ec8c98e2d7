using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

public class ReadinessTests
{
    static string Bin => CorralBinary.Path;

    /// <summary>db becomes ready (by the given means) only after "db ready" is printed; web must start after it.</summary>
    static void AssertDependentWaitsForReadiness(string dbConfig)
    {
        var dir = new ConfigDir("");
        var log = dir.File("events");
        File.WriteAllText(dir.Config, $$"""
            services:
              db:
            {{dbConfig}}
              web:
                shell: true
                command: "echo web start >> {{log}}; echo web up; exec sleep 1000"
                depends_on:
                  db: {condition: ready}
            """.Replace("LOG", log));
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("web up", StringComparison.Ordinal));
        Assert.Equal(["db ready", "web start"], dir.Lines("events"));
        // stderr is collected on its own: wait for the line rather than expect it already there.
        Wait.Until(() => run.Stderr.Contains("db: ready", StringComparison.Ordinal), null, "db: ready on stderr");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_notification_fd_newline_makes_the_service_ready()
    {
        AssertDependentWaitsForReadiness("""
                shell: true
                command: "sleep 0.3; echo db ready >> LOG; echo >&3; exec sleep 1000"
                ready: {notify_fd: 3}
            """);
    }

    [Fact]
    public void Sd_notify_READY_makes_the_service_ready()
    {
        AssertDependentWaitsForReadiness("""
                shell: true
                command: "sleep 0.3; echo db ready >> LOG; systemd-notify --ready 2>/dev/null || python3 -c 'import os,socket; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b\"STATUS=up\\nREADY=1\", os.environ[\"NOTIFY_SOCKET\"])'; exec sleep 1000"
                ready: notify
            """);
    }

    [Fact]
    public void A_matching_log_line_makes_the_service_ready()
    {
        AssertDependentWaitsForReadiness("""
                shell: true
                command: "sleep 0.3; echo db ready >> LOG; echo 'database system is ready to accept connections'; exec sleep 1000"
                ready: {log_line: "ready to accept connections$"}
            """);
    }

    [Fact]
    public void A_passing_readiness_probe_makes_the_service_ready()
    {
        var dir = new ConfigDir("");
        var flag = dir.File("up");
        AssertDependentWaitsForReadiness($"""
                shell: true
                command: "sleep 0.3; echo db ready >> LOG; touch {flag}; exec sleep 1000"
                readiness_probe:
                  exec: [test, -e, {flag}]
                  period: 100ms
            """);
    }

    [Fact]
    public void A_service_that_never_becomes_ready_fails_after_ready_timeout_and_its_dependents_are_skipped()
    {
        var dir = new ConfigDir("""
            services:
              db:
                command: sleep 1000
                ready: {notify_fd: 3}
                ready_timeout: 300ms
                restart: never
              web:
                command: sleep 1000
                depends_on: {db: {condition: ready}}
              other:
                command: sh -c 'echo other up; exec sleep 1000'
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("other up", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("web: skipped", StringComparison.Ordinal), null, "web to be skipped");
        Assert.Contains("db: failed: not ready within 300ms", run.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_liveness_probe_failing_its_threshold_restarts_the_service()
    {
        var dir = new ConfigDir("");
        var flag = dir.File("alive");
        File.WriteAllText(dir.Config, $$"""
            services:
              app:
                shell: true
                command: "touch {{flag}}; echo app up; exec sleep 1000"
                liveness_probe:
                  exec: [test, -e, {{flag}}]
                  period: 100ms
                  failure_threshold: 2
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        File.Delete(flag);
        Wait.Until(() => run.Stderr.Contains("app: restarted", StringComparison.Ordinal), null, "a restart");
        Assert.Contains("liveness probe failed 2 times", run.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_failing_readiness_probe_never_restarts_the_service()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: sh -c 'echo app up; exec sleep 1000'
                readiness_probe:
                  exec: ["false"]
                  period: 50ms
                  failure_threshold: 1
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        // Many probe periods pass while healthcheck is refused; the service is never restarted.
        Wait.Until(() => Run.ExecWith(Bin, RunDirOf(run), "healthcheck").Stdout.Contains("not ready", StringComparison.Ordinal), null, "unhealthy");
        for (var i = 0; i < 5; i++) Assert.Equal(1, Run.ExecWith(Bin, RunDirOf(run), "healthcheck").Code);
        Assert.DoesNotContain("restart", run.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void An_http_probe_passes_against_a_local_server_and_fails_on_a_404()
    {
        var port = FreePort();
        var dir = new ConfigDir($$"""
            services:
              web:
                command: [python3, -m, http.server, "{{port}}", --bind, 127.0.0.1]
                working_dir: .
                readiness_probe:
                  http: {port: {{port}}, path: /corral.yaml}
                  period: 100ms
              broken:
                command: sleep 1000
                depends_on: [web]
                readiness_probe:
                  http: {port: {{port}}, path: /no-such-page}
                  period: 100ms
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        Wait.Until(() => run.Stderr.Contains("web: ready", StringComparison.Ordinal), null, "web ready");
        // The status file follows the log line by a moment.
        Wait.Until(() => Run.ExecWith(Bin, RunDirOf(run), "healthcheck", "web").Code == 0, null, "web healthy");
        var broken = Run.ExecWith(Bin, RunDirOf(run), "healthcheck", "broken");
        Assert.Equal(1, broken.Code);
        Assert.Contains("broken is running but not ready", broken.Stdout);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_tcp_probe_waits_for_the_port_to_accept()
    {
        var port = FreePort();
        var dir = new ConfigDir($$"""
            services:
              server:
                shell: true
                command: "sleep 0.3; exec python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\"127.0.0.1\", {{port}})); s.listen(); time.sleep(1000)'"
                readiness_probe:
                  tcp: {port: {{port}}}
                  period: 100ms
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        Wait.Until(() => run.Stderr.Contains("server: ready", StringComparison.Ordinal), null, "server ready");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void An_exec_probe_that_outlives_its_timeout_counts_as_a_failure()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: sh -c 'echo app up; exec sleep 1000'
                liveness_probe:
                  exec: [sleep, "5"]
                  timeout: 100ms
                  period: 100ms
                  failure_threshold: 1
            """);
        using var run = Run.Start(Bin, ["run", "-v", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("exec probe timed out after 100ms", StringComparison.Ordinal), null, "a timed-out probe");
        Wait.Until(() => run.Stderr.Contains("app: restarted", StringComparison.Ordinal), null, "a restart");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_missed_watchdog_restarts_the_service()
    {
        var dir = new ConfigDir("""
            services:
              app:
                shell: true
                command: "echo app up; python3 -c 'import os,socket; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b\"READY=1\", os.environ[\"NOTIFY_SOCKET\"]); print(os.environ[\"WATCHDOG_USEC\"], flush=True)'; exec sleep 1000"
                ready: notify
                watchdog: 2s
            """);
        // 2s, not less: a python that starts slowly on a loaded machine must still get its line out.
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("2000000", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("app: restarted", StringComparison.Ordinal), null, "a restart");
        Assert.Contains("watchdog: no WATCHDOG=1 within 2s", run.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void Healthcheck_says_in_words_when_the_status_file_is_not_one_it_can_read()
    {
        var dir = Directory.CreateTempSubdirectory("corral-status-").FullName;
        File.WriteAllText(Path.Combine(dir, "status.json"), """{"corral_pid": 1, "services": [{"name": "web"}]}""");
        var stale = Run.ExecWith(Bin, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = dir }, "healthcheck");
        Assert.Equal(1, stale.Code);
        Assert.Contains("not a status file this Corral can read", stale.Stdout);
        Assert.DoesNotContain("Exception", stale.Stdout);
        File.WriteAllText(Path.Combine(dir, "status.json"), "{not json");
        Assert.Contains("not valid JSON", Run.ExecWith(Bin, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = dir }, "healthcheck").Stdout);
    }

    [Fact]
    public void Healthcheck_exit_codes_follow_the_state_of_the_services()
    {
        // migrate runs until the test has seen it not completed (a gate file, not a short sleep).
        var gate = Path.Combine(Directory.CreateTempSubdirectory("corral-gate-").FullName, "go");
        var dir = new ConfigDir($$$"""
            services:
              migrate:
                type: oneshot
                command: sh -c 'while [ ! -e {{{gate}}} ]; do sleep 0.05; done'
              app:
                command: sh -c 'echo app up; exec sleep 1000'
                depends_on: {migrate: {condition: completed_successfully}}
            """);
        var runDir = new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Directory.CreateTempSubdirectory("corral-hc-").FullName };
        var before = Run.ExecWith(Bin, runDir, "healthcheck");
        Assert.Equal(1, before.Code);
        Assert.Contains("no status file", before.Stdout);

        using var run = Run.Start(Bin, ["run", "-c", dir.Config], runDir);
        Wait.Until(() => File.Exists(Path.Combine(runDir["CORRAL_RUN_DIR"]!, "status.json")), null, "the status file");
        var starting = Run.ExecWith(Bin, runDir, "healthcheck");
        Assert.Equal(1, starting.Code);
        Assert.Contains("migrate has not completed yet", starting.Stdout);
        File.WriteAllText(gate, "");
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        // status.json is rewritten at most every 50 ms: the line may come before the file says so.
        Result healthy = null!;
        Wait.Until(() => (healthy = Run.ExecWith(Bin, runDir, "healthcheck")).Code == 0, null, "corral healthcheck to say healthy");
        Assert.Equal("healthy: 2 services healthy", healthy.Stdout.Trim());
        Assert.Equal(0, Run.ExecWith(Bin, runDir, "healthcheck", "app").Code);
        Assert.Equal(1, Run.ExecWith(Bin, runDir, "healthcheck", "nope").Code);
        run.Signal(Sig.KILL);
        run.WaitForExit();
        var dead = Run.ExecWith(Bin, runDir, "healthcheck");
        Assert.Equal(1, dead.Code);
        Assert.Contains("is not running", dead.Stdout);
    }

    [Fact]
    public void A_forking_daemon_names_its_main_process_with_MAINPID_and_stays_up()
    {
        // The launcher starts a daemon in the background, reports its pid, then exits.
        var dir = new ConfigDir("""
            services:
              daemon:
                command: [sh, launch.sh]
                working_dir: .
                ready: notify
                restart: never
            """);
        File.WriteAllText(dir.File("launch.sh"), """
            sleep 1000 &
            python3 - "$!" <<'PY'
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.sendto(("MAINPID=%s\nREADY=1" % sys.argv[1]).encode(), os.environ["NOTIFY_SOCKET"])
            PY
            echo launcher done
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("launcher done", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("main process is now pid", StringComparison.Ordinal), null, "the hand-over");
        Wait.Until(() => Run.ExecWith(Bin, RunDirOf(run), "healthcheck").Code == 0, null, "healthy after the launcher exited");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Contains("daemon: stopped", run.Stderr);
        Assert.DoesNotContain("daemon: exited", run.Stderr);
    }

    [Fact]
    public void Timeouts_of_a_month_are_fine()
    {
        var dir = new ConfigDir("""
            services:
              slow:
                command: sh -c 'echo slow up; exec sleep 1000'
                ready: {notify_fd: 3}
                ready_timeout: 30d
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("slow up", StringComparison.Ordinal));
        Assert.False(run.HasExited);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.DoesNotContain("internal error", run.Stderr);
    }

    [Fact]
    public void An_empty_datagram_on_the_notification_socket_does_not_close_it()
    {
        var dir = new ConfigDir("""
            services:
              app:
                shell: true
                command: "python3 -c 'import os,socket,time; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); p=os.environ[\"NOTIFY_SOCKET\"]; s.sendto(b\"\", p); time.sleep(0.3); s.sendto(b\"READY=1\", p)'; exec sleep 1000"
                ready: notify
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        Wait.Until(() => run.Stderr.Contains("app: ready", StringComparison.Ordinal), null, "app ready after an empty datagram");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_MAINPID_that_is_not_a_process_under_corral_is_ignored()
    {
        var dir = new ConfigDir("""
            services:
              liar:
                command: [sh, claim.sh]
                working_dir: .
                ready: notify
            """);
        File.WriteAllText(dir.File("claim.sh"), """
            python3 - <<'PY'
            import os, socket
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.sendto(b"MAINPID=1\nREADY=1", os.environ["NOTIFY_SOCKET"])
            PY
            echo claimed
            exec sleep 1000
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("claimed", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("ignored MAINPID=1", StringComparison.Ordinal), null, "the refusal");
        Wait.Until(() => run.Stderr.Contains("liar: ready", StringComparison.Ordinal), null, "READY=1 still counted");
        Assert.DoesNotContain("main process is now", run.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    static Dictionary<string, string?> RunDirOf(Run run) =>
        new() { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) };

    static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
