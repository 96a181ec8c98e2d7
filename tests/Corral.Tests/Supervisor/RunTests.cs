using System.Globalization;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

public class RunTests
{
    static string Bin => CorralBinary.Path;

    [Fact]
    public void A_three_tier_stack_starts_in_dependency_order_and_stops_in_reverse()
    {
        var dir = new ConfigDir("");
        var log = dir.File("events");
        File.WriteAllText(dir.Config, $$"""
            services:
              proxy:
                shell: true
                command: "echo start proxy >> {{log}}; trap 'echo stop proxy >> {{log}}; exit 0' TERM; echo proxy up; while :; do sleep 0.05; done"
                depends_on: [app]
              app:
                shell: true
                command: "echo start app >> {{log}}; trap 'echo stop app >> {{log}}; exit 0' TERM; echo app up; while :; do sleep 0.05; done"
                depends_on:
                  migrate: {condition: completed_successfully}
              migrate:
                type: oneshot
                shell: true
                command: "echo start migrate >> {{log}}; sleep 0.2; echo end migrate >> {{log}}"
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("proxy up", StringComparison.Ordinal));
        // "started" is spawned, not yet running its script: wait until app has set its trap.
        run.WaitForLine(l => l.EndsWith("app up", StringComparison.Ordinal));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        var events = dir.Lines("events").ToList();
        // "started" means spawned: app is spawned before proxy, but their first lines may race.
        Assert.Equal(["start migrate", "end migrate"], events.Take(2));
        Assert.Equal(["start app", "start proxy"], events.Skip(2).Take(2).Order());
        Assert.Equal(["stop proxy", "stop app"], events.Skip(4));
        var stderr = run.Stderr;
        Assert.True(stderr.IndexOf("app: started", StringComparison.Ordinal) < stderr.IndexOf("proxy: started", StringComparison.Ordinal));
    }

    [Fact]
    public void A_crashing_service_is_restarted_with_growing_delays()
    {
        var dir = new ConfigDir("");
        var stamps = dir.File("stamps");
        File.WriteAllText(dir.Config, $$"""
            services:
              crash:
                shell: true
                command: "date +%s.%N >> {{stamps}}; exit 1"
                backoff: {initial: 100ms, factor: 2, max: 10s}
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        Wait.Until(() => dir.Lines("stamps").Length >= 5, TimeSpan.FromSeconds(30), "five starts");
        var times = dir.Lines("stamps").Take(5).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a) * 1000).ToArray();
        // A timer never fires early, so each gap is at least its backoff delay.
        double[] delays = [100, 200, 400, 800];
        for (var i = 0; i < delays.Length; i++) Assert.True(gaps[i] >= delays[i] - 5, $"gap {i} was {gaps[i]:0} ms, below {delays[i]} ms");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Contains("restarting in 800ms", run.Stderr);
    }

    [Fact]
    public void A_service_ignoring_TERM_is_killed_after_its_stop_timeout()
    {
        var dir = new ConfigDir("""
            services:
              stubborn:
                shell: true
                command: "trap '' TERM; echo up; while :; do sleep 0.05; done"
                stop: {timeout: 500ms}
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Contains("did not stop within 500ms: sending SIGKILL", run.Stderr);
    }

    [Fact]
    public void A_background_grandchild_in_the_services_group_is_killed_on_stop()
    {
        var dir = new ConfigDir("");
        var pidFile = dir.File("grandchild");
        File.WriteAllText(dir.Config, $$"""
            services:
              svc:
                shell: true
                command: "(trap '' TERM; exec sleep 1000) & echo $! > {{pidFile}}; echo up; wait"
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        Wait.Until(() => dir.Read("grandchild").Trim().Length > 0, null, "the grandchild's pid");
        var grandchild = int.Parse(dir.Read("grandchild").Trim(), CultureInfo.InvariantCulture);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.True(ProcFs.State(grandchild) is null or 'Z', $"grandchild {grandchild} still alive");
    }

    [Fact]
    public void A_process_that_escaped_into_its_own_session_is_swept_at_shutdown()
    {
        var dir = new ConfigDir("");
        var pidFile = dir.File("escaped");
        File.WriteAllText(dir.Config, $$"""
            services:
              svc:
                shell: true
                command: "setsid sh -c 'echo $$$$ > {{pidFile}}; exec sleep 1000' & echo up; wait"
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("up", StringComparison.Ordinal));
        Wait.Until(() => dir.Read("escaped").Trim().Length > 0, null, "the escaped pid");
        var escaped = int.Parse(dir.Read("escaped").Trim(), CultureInfo.InvariantCulture);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.True(ProcFs.State(escaped) is null or 'Z', $"escaped process {escaped} still alive");
    }

    [Fact]
    public void A_main_services_exit_code_becomes_corrals()
    {
        var dir = new ConfigDir("""
            services:
              job:
                command: sh -c 'sleep 0.2; exit 42'
                main: true
              sidecar:
                command: sh -c 'while :; do sleep 0.05; done'
            """);
        var r = Run.Exec(Bin, "run", "-c", dir.Config);
        Assert.Equal(42, r.Code);
        Assert.Contains("main service 'job' exited with code 42", r.Stderr);
    }

    [Fact]
    public void A_failed_oneshot_that_others_need_stops_corral_with_its_code_and_says_why()
    {
        var dir = new ConfigDir("""
            services:
              migrate:
                type: oneshot
                command: sh -c 'exit 3'
              app:
                command: sleep 1000
                depends_on:
                  migrate: {condition: completed_successfully}
            """);
        var r = Run.Exec(Bin, "run", "-c", dir.Config);
        Assert.Equal(3, r.Code);
        Assert.Contains("oneshot 'migrate' failed", r.Stderr);
        Assert.Contains("app: skipped", r.Stderr);
    }

    [Fact]
    public void Ten_thousand_log_lines_from_five_services_arrive_complete_and_unmangled()
    {
        var services = string.Concat(Enumerable.Range(1, 5).Select(i => $$"""
              s{{i}}:
                type: oneshot
                shell: true
                command: "i=0; while [ $$i -lt 2000 ]; do echo \"s{{i}} line $$i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx end\"; i=$$((i+1)); done"

            """));
        var dir = new ConfigDir($$"""
            services:
            {{services}}
              done:
                command: "true"
                main: true
                depends_on:
                  s1: {condition: completed}
                  s2: {condition: completed}
                  s3: {condition: completed}
                  s4: {condition: completed}
                  s5: {condition: completed}
            """);
        var r = Run.Exec(Bin, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var s = 1; s <= 5; s++)
        {
            var mine = lines.Where(l => l.StartsWith($"s{s}   | ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2000, mine.Length);
            for (var i = 0; i < 2000; i++)
                Assert.Equal($"s{s}   | s{s} line {i} xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx end", mine[i]);
        }
        Assert.Equal(10000, lines.Length);
    }

    [Fact]
    public void A_service_gets_its_environment_env_file_working_dir_and_user()
    {
        var dir = new ConfigDir("");
        File.WriteAllText(dir.File("app.env"), "FROM_FILE=file\nexport BOTH='from file'\n");
        Directory.CreateDirectory(dir.File("work"));
        File.WriteAllText(dir.Config, """
            services:
              show:
                shell: true
                command: 'echo "$$FROM_FILE|$$BOTH|$$GREETING|$$(pwd)|$$(id -u)|$$(umask)"'
                main: true
                env_file: app.env
                environment:
                  GREETING: hello
                  BOTH: from environment
                working_dir: work
                user: nobody
                umask: "027"
            """);
        var r = Run.Exec(Bin, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        Assert.Contains($"show | file|from environment|hello|{dir.File("work")}|65534|0027", r.Stdout);
    }

    [Fact]
    public void A_service_starts_with_no_signal_blocked_or_ignored_whatever_corral_was_started_with()
    {
        var dir = new ConfigDir("""
            services:
              show:
                command: ["/bin/grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"]
                main: true
            """);
        var r = Run.Exec("env", ["--ignore-signal=INT,HUP,SEGV,PIPE", "--block-signal=TERM,USR1,ILL", Bin, "run", "-c", dir.Config]);
        Assert.Equal(0, r.Code);
        Assert.Contains("show | SigBlk:\t0000000000000000", r.Stdout);
        Assert.Contains("show | SigIgn:\t0000000000000000", r.Stdout);
    }

    [Fact]
    public void Inherit_env_false_isolates_the_service_from_corrals_environment()
    {
        var dir = new ConfigDir("""
            services:
              show:
                command: ["/usr/bin/env"]
                main: true
                inherit_env: false
                environment: {ONLY: this}
            """);
        var r = Run.ExecWith(Bin, new Dictionary<string, string?> { ["SECRET_OF_CORRAL"] = "x" }, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        Assert.Contains("show | ONLY=this", r.Stdout);
        Assert.DoesNotContain("SECRET_OF_CORRAL", r.Stdout);
    }

    [Fact]
    public void Corral_run_as_PID_1_stops_everything_on_SIGTERM_and_exits_0()
    {
        var dir = new ConfigDir("""
            services:
              a:
                command: sh -c 'echo a up; while :; do sleep 0.05; done'
              b:
                command: sh -c 'sleep 1000 & sleep 1000 & echo b up; wait'
                depends_on: [a]
            """);
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", Bin, "run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("b up", StringComparison.Ordinal));
        Native.Kill(ProcFs.WaitForOnlyChild(run.Pid), Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void As_PID_1_with_no_service_left_running_orphans_from_outside_are_still_reaped()
    {
        var dir = new ConfigDir("""
            services:
              once:
                type: oneshot
                command: sh -c 'echo once done'
            """);
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", Bin, "run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("once done", StringComparison.Ordinal));
        var corral = ProcFs.WaitForOnlyChild(run.Pid);
        Wait.Until(() => run.Stderr.Contains("once: completed successfully", StringComparison.Ordinal), null, "the oneshot to finish");
        // A `docker exec`-like visitor leaves an orphan behind; it is re-parented to PID 1 and must be reaped.
        var visit = Run.Exec("nsenter", "-t", corral.ToString(System.Globalization.CultureInfo.InvariantCulture), "-p", "-m", "--", "sh", "-c",
            "(sleep 0.2 &); t=0; while [ $t -lt 100 ]; do sleep 0.05; z=$(cat /proc/[0-9]*/stat 2>/dev/null | grep -c ') Z 1 '); [ \"$z\" -eq 0 ] && [ $t -gt 10 ] && break; t=$((t+1)); done; echo zombies=$z");
        Assert.Equal("zombies=0", visit.Stdout.Trim());
        Native.Kill(corral, Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void As_PID_1_the_sentinel_exists_only_while_no_service_process_is_alive()
    {
        var dir = new ConfigDir("""
            services:
              web:
                command: sh -c 'echo web up; exec sleep 1000'
            """);
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", Bin, "run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("web up", StringComparison.Ordinal));
        var corral = ProcFs.WaitForOnlyChild(run.Pid);
        bool SentinelAlive() => ProcFs.ChildrenOf(corral).Any(p => ProcFs.Read(p) is { State: not 'Z' } && ProcFs.Cmdline(p).Contains("sentinel"));
        // Whatever the boot did, once a service runs no sentinel is left beside it.
        Wait.Until(() => !SentinelAlive(), null, "no sentinel while web runs");
        var ctl = new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) };
        Assert.Equal(0, Run.ExecWith(Bin, ctl, "ctl", "stop", "web").Code);
        // No service process left: the sentinel keeps the reaper awake.
        Wait.Until(SentinelAlive, null, "a sentinel once web is stopped");
        Assert.Equal(0, Run.ExecWith(Bin, ctl, "ctl", "start", "web").Code);
        Wait.Until(() => !SentinelAlive(), null, "the sentinel gone again");
        Native.Kill(corral, Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_read_only_run_directory_is_said_in_corrals_words_with_what_to_do_and_services_still_run()
    {
        var dir = new ConfigDir("""
            services:
              web:
                command: sh -c 'echo web up; exec sleep 1000'
            """);
        var readOnly = Directory.CreateTempSubdirectory("corral-ro-").FullName;
        // A private mount namespace with a read-only file system where the run directory would go.
        using var run = Run.Start("unshare", ["--mount", "sh", "-c", $"mount -t tmpfs -o ro tmpfs {readOnly} && exec {Bin} run -c {dir.Config}"],
            new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Path.Combine(readOnly, "corral") });
        run.WaitForLine(l => l.EndsWith("web up", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("no control socket", StringComparison.Ordinal), null, "the control socket warning");
        Assert.Contains($"cannot create the run directory {readOnly}/corral (read-only file system)", run.Stderr);
        Assert.Contains("CORRAL_RUN_DIR", run.Stderr);
        Assert.Contains("tmpfs on /run", run.Stderr);
        Assert.DoesNotContain("IO_", run.Stderr);
        Assert.DoesNotContain(" : '", run.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void On_failure_shutdown_stops_everything_and_exits_with_the_failed_services_code()
    {
        var dir = new ConfigDir("""
            services:
              db:
                command: sh -c 'sleep 0.3; exit 5'
                restart: never
                on_failure: shutdown
              web:
                command: sh -c 'echo web up; exec sleep 1000'
            """);
        var r = Run.Exec(Bin, "run", "-c", dir.Config);
        Assert.Equal(5, r.Code);
        Assert.Contains("service 'db' failed and has on_failure: shutdown", r.Stderr);
        Assert.Contains("web: stopped", r.Stderr);
    }

    [Fact]
    public void On_failure_stop_dependents_stops_only_what_depends_on_the_failed_service()
    {
        var dir = new ConfigDir("""
            services:
              db:
                command: sh -c 'sleep 0.3; exit 1'
                restart: never
                on_failure: stop-dependents
              web:
                command: sh -c 'echo web up; exec sleep 1000'
                depends_on: [db]
              cron:
                command: sh -c 'echo cron up; exec sleep 1000'
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("cron up", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("web: stopped", StringComparison.Ordinal), null, "web to be stopped");
        Assert.False(run.HasExited);
        // status.json follows within 50 ms of the line.
        Wait.Until(() => Run.ExecWith(Bin, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) }, "healthcheck").Code == 1, null, "healthcheck to say unhealthy");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Contains("cron: stopped", run.Stderr);
    }

    [Fact]
    public void A_service_that_cannot_start_says_why_once()
    {
        var dir = new ConfigDir("""
            services:
              nowhere: {command: "true", working_dir: ./missing, restart: never, main: true}
            """);
        var r = Run.Exec(Bin, "run", "-c", dir.Config);
        Assert.Equal(127, r.Code);
        Assert.Single(r.Stderr.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Contains($"working_dir '{dir.File("missing")}' does not exist", r.Stderr);
    }
}
