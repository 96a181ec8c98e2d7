using System.Diagnostics;
using System.Text.Json;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Containers;

/// <summary>
/// Corral as PID 1 of real runc containers whose root holds busybox-static and Corral only (no
/// C library). One class: the containers run one after another, never side by side.
/// </summary>
public class ContainerTests
{
    const string Stack = """
        shutdown_timeout: 8s
        services:
          db:
            shell: true
            command: "trap 'echo db stopping; exit 0' TERM; echo db up; while :; do sleep 1000 & wait; done"
          web:
            shell: true
            command: "trap 'echo web stopping; exit 0' TERM; echo web up; while :; do sleep 1000 & wait; done"
            depends_on: [db]
          stubborn:
            shell: true
            command: "trap '' TERM; echo stubborn up; while :; do sleep 1000 & wait; done"
            depends_on: [web]
            stop: {signal: TERM, timeout: 1s}
        """;

    static Container.Options RunStack(bool writableRun = true) =>
        new(["/usr/bin/corral", "run", "-c", "/etc/corral/corral.yaml"]) { Files = { ["corral.yaml"] = Stack }, WritableRun = writableRun };

    static int ServicePid(Container c, string name)
    {
        var status = c.Exec("corral", "ctl", "status", "--json");
        if (status.Code is not (0 or 3)) return 0;
        var s = JsonDocument.Parse(status.Stdout).RootElement.GetProperty("services").EnumerateArray()
            .First(s => s.GetProperty("name").GetString() == name);
        return s.GetProperty("state").GetString() == "running" && s.GetProperty("pid").ValueKind == JsonValueKind.Number ? s.GetProperty("pid").GetInt32() : 0;
    }

    [Fact]
    public void The_binary_is_static_and_runs_where_there_is_no_C_library()
    {
        using var c = Container.Start("/usr/bin/corral", "--", "sh", "-c", "ls /lib /lib64 /usr/lib 2>&1; exit 3");
        Assert.Equal(3, c.WaitForExit());
        Assert.Contains("No such file or directory", c.Run.Stdout);
    }

    [Fact]
    public void A_multi_service_stack_answers_ctl_and_healthcheck_restarts_a_killed_service_reaps_orphans_and_stops_in_reverse_order()
    {
        using var c = new Container(RunStack());
        c.Run.WaitForLine(l => l.EndsWith("stubborn up", StringComparison.Ordinal));

        var status = c.Exec("corral", "ctl", "status");
        Assert.Equal(0, status.Code);
        Assert.Matches(@"(?m)^web\s+running\s+\d+", status.Stdout);
        Wait.Until(() => c.Exec("corral", "healthcheck").Code == 0, null, "healthy");

        // A killed service comes back with a new pid.
        var web = Wait.Until(() => ServicePid(c, "web") is var p and > 0 ? p : (int?)null, null, "web's pid");
        Assert.Equal(0, c.Exec("kill", "-KILL", web.ToString(System.Globalization.CultureInfo.InvariantCulture)).Code);
        Wait.Until(() => ServicePid(c, "web") is var p and > 0 && p != web, null, "web restarted");

        // Orphans of a double fork are re-parented to Corral and reaped: no zombie stays.
        Assert.Equal(0, c.ExecDetached("sh", "-c", "for i in 1 2 3 4 5 6 7 8; do (sleep 0.2 &); done").Code);
        Wait.Until(() => c.Exec("sh", "-c", "cat /proc/[0-9]*/stat | grep -c ') Z '").Stdout.Trim() == "0", null, "no zombies");

        var stopping = Stopwatch.StartNew();
        c.Kill("TERM");
        Assert.Equal(0, c.WaitForExit());
        stopping.Stop();
        var lines = c.Run.StdoutLines.ToList();
        var webStopped = lines.FindIndex(l => l.EndsWith("web stopping", StringComparison.Ordinal));
        var dbStopped = lines.FindIndex(l => l.EndsWith("db stopping", StringComparison.Ordinal));
        Assert.True(webStopped >= 0 && dbStopped > webStopped, string.Join("\n", lines));
        // The TERM-ignoring service was killed at its 1s stop timeout, well inside shutdown_timeout (8s).
        Assert.Contains("stubborn: stopped (killed by SIGKILL)", c.Run.Stderr);
        Assert.DoesNotContain("shutdown timeout reached", c.Run.Stderr);
        // The wall clock includes runc's own start and teardown: a loose bound, the line above is the proof.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"stopped in {stopping.Elapsed}");
    }

    static int Index(IReadOnlyList<string> lines, string text)
    {
        for (var i = 0; i < lines.Count; i++)
            if (lines[i] == text || lines[i].StartsWith(text + " ", StringComparison.Ordinal)) return i;
        Assert.Fail($"no line '{text}' (or starting with it) in:\n{string.Join("\n", lines)}");
        return -1;
    }

    static void InOrder(IReadOnlyList<string> lines, params string[] texts)
    {
        for (var i = 1; i < texts.Length; i++)
            Assert.True(Index(lines, texts[i - 1]) < Index(lines, texts[i]), $"'{texts[i - 1]}' before '{texts[i]}' in:\n{string.Join("\n", lines)}");
    }

    [Fact]
    public void As_init_of_an_s6_overlay_tree_corral_boots_in_order_answers_the_s6_tools_and_stops_in_reverse_on_runc_kill_TERM()
    {
        using var image = new S6Image();
        using var c = new Container(new(["/init"]) { Binds = image.Binds, WritableBinds = image.WritableBinds, Env = ["GREETING=world"] });
        c.Run.WaitForLine(l => l.EndsWith("legacy: up", StringComparison.Ordinal));
        // with-contenv gave the cont-init script the container's variable (S6_KEEP_ENV=0 cleans services' environment).
        Wait.Until(() => image.Order.Contains("legacy: up") && image.Order.Contains("web: up"), null, "web's and legacy's lines in the trace");
        InOrder(image.Order, "cont-init: hello world", "init-setup: done", "db: up", "web: up");
        // Legacy services wait for the user bundle to be up as s6-rc means it: db ready (it says so
        // before it notifies), web started (no notification-fd), so web's first line may come after.
        InOrder(image.Order, "db: up", "legacy: up");

        // The helper commands from /command talk to the running Corral.
        var svstat = c.Exec("/command/s6-svstat", "/run/service/web");
        Assert.Equal(0, svstat.Code);
        Assert.StartsWith("up (pid ", svstat.Stdout);
        Assert.Equal(0, c.Exec("/command/s6-svwait", "-U", "-t", "5000", "/run/service/db").Code);

        var stopping = Stopwatch.StartNew();
        c.Kill("TERM");
        Assert.Equal(0, c.WaitForExit());
        stopping.Stop();
        var lines = image.Order;
        // Dependents first, each finish script after its service, cont-finish.d last.
        InOrder(lines, "legacy: stopping", "web: stopping", "db: stopping", "cont-finish: bye");
        InOrder(lines, "web: stopping", "web: finish 0", "db: stopping");
        InOrder(lines, "db: stopping", "db: finish 0", "cont-finish: bye");
        Assert.DoesNotContain("SIGKILL", c.Run.Stderr);
        Assert.Contains("[corral] exit code 0", c.Run.Stderr);
        // No grace period waited out: everything exits at once on TERM (s6-overlay's defaults allow
        // 3 s for the services and 3 s more for the rest; bench/s6-stop.sh measures it, see
        // docs/benchmarks.md). Nothing was SIGKILLed (above); the wall clock, which includes runc
        // and a loaded machine, gets a loose bound.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopped in {stopping.Elapsed}");
    }

    [Fact]
    public void As_init_the_CMD_runs_once_the_services_are_up_and_its_exit_code_is_the_containers()
    {
        using var image = new S6Image();
        using var c = new Container(new(["/init", "sh", "-c",
            // What s6-svstat says of each service when the CMD starts; then, before exiting, the CMD
            // waits for the services' own first lines (web and legacy count as up once started,
            // maybe before their TERM traps are set).
            "for s in db web legacy; do /command/s6-svstat /run/service/$s | sed \"s/^/$s at cmd: /\" >> /var/trace/order; done; " +
            "until grep -q 'web: up' /var/trace/order && grep -q 'legacy: up' /var/trace/order; do sleep 0.05; done; " +
            "echo 'cmd: running' | tee -a /var/trace/order; exit 3"]) { Binds = image.Binds, WritableBinds = image.WritableBinds });
        Assert.Equal(3, c.WaitForExit());
        var lines = image.Order;
        foreach (var service in new[] { "db", "web", "legacy" })
            Assert.Contains(lines, l => l.StartsWith($"{service} at cmd: up (pid ", StringComparison.Ordinal));
        InOrder(lines, "db: up", "cmd: running", "legacy: stopping", "web: stopping", "db: stopping", "cont-finish: bye");
        Assert.Contains("[corral] exit code 3", c.Run.Stderr);
    }

    [Fact]
    public void Runc_reports_the_exit_code_of_corral_run_from_its_main_service()
    {
        using var c = new Container(new(["/usr/bin/corral", "run", "-c", "/etc/corral/corral.yaml"])
        {
            Files = { ["corral.yaml"] = "services:\n  job:\n    command: sh -c 'echo job ran; exit 9'\n    main: true\n" },
        });
        Assert.Equal(9, c.WaitForExit());
        Assert.Contains("job | job ran", c.Run.Stdout);
    }

    [Fact]
    public void Single_child_mode_forwards_INT_and_returns_the_childs_code()
    {
        using var c = Container.Start("/usr/bin/corral", "--", "sh", "-c", "trap 'echo got INT; exit 42' INT; echo ready; while :; do sleep 1000 & wait; done");
        c.Run.WaitForLine("ready");
        c.Kill("INT");
        Assert.Equal(42, c.WaitForExit());
        Assert.Contains("got INT", c.Run.Stdout);
    }

    [Theory]
    [InlineData("/usr/bin/tini", "--")]
    [InlineData("/usr/bin/dumb-init", "--")]
    public void Tini_and_dumb_init_names_work_as_PID_1(string init, string separator)
    {
        using (var c = Container.Start(init, separator, "sh", "-c", "exit 5")) Assert.Equal(5, c.WaitForExit());
        using var t = Container.Start(init, separator, "sh", "-c", "trap 'exit 7' TERM; echo ready; while :; do sleep 1000 & wait; done");
        t.Run.WaitForLine("ready");
        t.Kill("TERM");
        Assert.Equal(7, t.WaitForExit());
    }

    // The kernel keeps supplementary groups sorted, so id(1) lists them in numeric order.
    [Theory]
    [InlineData("nobody", "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)")]
    [InlineData("app", "uid=1000(app) gid=1000(app) groups=29(audio),1000(app)")]
    [InlineData("app:video", "uid=1000(app) gid=44(video) groups=44(video)")]
    public void Corral_exec_takes_uid_gid_and_groups_from_the_images_passwd_and_group(string user, string id)
    {
        using var c = Container.Start("/usr/bin/corral", "exec", "--user", user, "--", "id");
        Assert.Equal(0, c.WaitForExit());
        Assert.Equal(id, c.Run.Stdout.Trim());
    }

    [Fact]
    public void On_a_read_only_root_without_a_writable_run_services_run_and_corral_says_what_to_do()
    {
        using var c = new Container(RunStack(writableRun: false));
        c.Run.WaitForLine(l => l.EndsWith("stubborn up", StringComparison.Ordinal));
        Wait.Until(() => c.Run.Stderr.Contains("no control socket", StringComparison.Ordinal), null, "the warning");
        Assert.Contains("read-only file system", c.Run.Stderr);
        Assert.Contains("tmpfs on /run", c.Run.Stderr);
        var health = c.Exec("corral", "healthcheck");
        Assert.Equal(1, health.Code);
        Assert.Contains("no status file", health.Stdout);
        c.Kill("TERM");
        Assert.Equal(0, c.WaitForExit());
    }

    [Fact]
    public void A_container_whose_user_is_not_root_runs_its_services_and_answers_ctl_with_a_run_directory_in_tmp()
    {
        using var c = new Container(RunStack(writableRun: false) with
        {
            User = (65534, 65534),
            WritableTmp = true,
            Env = ["CORRAL_RUN_DIR=/tmp/corral"],
        });
        c.Run.WaitForLine(l => l.EndsWith("stubborn up", StringComparison.Ordinal));
        Wait.Until(() => c.ExecAs("65534:65534", ["CORRAL_RUN_DIR=/tmp/corral"], "corral", "healthcheck").Code == 0, null, "healthy as nobody");
        var status = c.ExecAs("65534:65534", ["CORRAL_RUN_DIR=/tmp/corral"], "corral", "ctl", "status");
        Assert.Equal(0, status.Code);
        Assert.Contains("db", status.Stdout);
        Assert.Equal("65534", c.Exec("sh", "-c", "stat -c %u /proc/1").Stdout.Trim());
        c.Kill("TERM");
        Assert.Equal(0, c.WaitForExit());
    }
}
