using Corral.Tests.Infrastructure;

namespace Corral.Tests.Compat;

/// <summary>
/// supervisord.conf files shaped like those of public images, run by Corral unchanged and
/// looked at as their users look at them: the programs' output, and the real supervisorctl.
/// Shell stand-ins play nginx, php-fpm and celery.
/// </summary>
public sealed class RealisticSupervisordConfigTests
{
    const string Supervisorctl = "/usr/bin/supervisorctl";

    static string Header(string dir) => $"""
        [supervisord]
        nodaemon=true
        logfile=/dev/null
        logfile_maxbytes=0
        pidfile={dir}/supervisord.pid

        [unix_http_server]
        file={dir}/supervisor.sock

        [rpcinterface:supervisor]
        supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

        [supervisorctl]
        serverurl=unix://{dir}/supervisor.sock

        """;

    static (string Dir, string Conf) Write(Func<string, string> body)
    {
        var dir = Directory.CreateTempSubdirectory("corral-realistic-").FullName;
        var conf = Path.Combine(dir, "supervisord.conf");
        File.WriteAllText(conf, Header(dir) + body(dir));
        return (dir, conf);
    }

    static string[] Status(string conf, params string[] names) =>
        Run.Exec(Supervisorctl, ["-c", conf, "status", .. names]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static void WaitAllRunning(string conf, int count) =>
        Wait.Until(() => Status(conf) is var lines && lines.Length == count && lines.All(l => l.Contains(" RUNNING ", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), $"{count} processes RUNNING");

    [Fact]
    public void Nginx_and_php_fpm_log_to_the_container_output_and_both_run()
    {
        var (_, conf) = Write(_ => """
            [program:php-fpm]
            command=sh -c 'echo "NOTICE: fpm is running"; echo "NOTICE: ready to handle connections" >&2; exec sleep 1000'
            priority=5
            autostart=true
            autorestart=true
            stdout_logfile=/dev/stdout
            stdout_logfile_maxbytes=0
            redirect_stderr=true

            [program:nginx]
            command=sh -c 'echo "nginx: start worker processes"; echo "nginx: [warn] conflicting server name" >&2; exec sleep 1000'
            priority=10
            autostart=true
            autorestart=true
            stdout_logfile=/dev/stdout
            stdout_logfile_maxbytes=0
            stderr_logfile=/dev/stderr
            stderr_logfile_maxbytes=0
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", conf]);
        run.WaitForLine("NOTICE: fpm is running");
        run.WaitForLine("nginx: start worker processes");
        // php-fpm (priority 5) is started before nginx (priority 10); no "Illegal seek" for /dev/stdout.
        Wait.Until(() => run.Stderr.Contains("nginx: [warn] conflicting server name", StringComparison.Ordinal), null, "nginx's stderr line");
        // Lines of different services' pipes, and of Corral's two outputs, may come in any order.
        Wait.Until(() => (run.Stdout + run.Stderr).Contains("NOTICE: ready to handle connections", StringComparison.Ordinal), null, "php-fpm's stderr line, redirected");
        Assert.True(run.Stderr.IndexOf("php-fpm: started", StringComparison.Ordinal) < run.Stderr.IndexOf("nginx: started", StringComparison.Ordinal), run.Stderr);
        Assert.DoesNotContain("Illegal seek", run.Stdout + run.Stderr);
        if (!File.Exists(Supervisorctl)) return;
        WaitAllRunning(conf, 2);
        var status = string.Join("\n", Status(conf));
        Assert.Matches(@"(?m)^nginx\s+RUNNING\s+pid \d+, uptime", status);
        Assert.Matches(@"(?m)^php-fpm\s+RUNNING\s+pid \d+, uptime", status);
        Native.Kill(run.Pid, Sig.TERM);
        run.WaitForExit();
    }

    [Fact]
    public void Celery_workers_with_numprocs_in_a_group_are_named_and_controlled_as_in_supervisord()
    {
        if (!File.Exists(Supervisorctl)) return;
        var (_, conf) = Write(_ => """
            [program:celery]
            command=sh -c 'echo "worker %(process_num)02d ready"; exec sleep 1000'
            process_name=%(program_name)s_%(process_num)02d
            numprocs=3
            stopwaitsecs=5
            stopasgroup=true

            [program:beat]
            command=sh -c 'echo "beat ready"; exec sleep 1000'

            [group:workers]
            programs=celery,beat
            priority=999
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", conf]);
        foreach (var n in new[] { "00", "01", "02" }) run.WaitForLine($"worker {n} ready");
        run.WaitForLine("beat ready");
        WaitAllRunning(conf, 4);
        var names = Status(conf).Select(l => l.Split(' ')[0]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["workers:beat", "workers:celery_00", "workers:celery_01", "workers:celery_02"], names);

        Assert.Equal("workers:celery_01: stopped", Run.Exec(Supervisorctl, "-c", conf, "stop", "workers:celery_01").Stdout.Trim());
        Assert.Matches(@"^workers:celery_01\s+STOPPED", Assert.Single(Status(conf, "workers:celery_01")));
        var all = Run.Exec(Supervisorctl, "-c", conf, "restart", "workers:*").Stdout;
        Assert.Contains("workers:celery_01: started", all);
        WaitAllRunning(conf, 4);
        Native.Kill(run.Pid, Sig.TERM);
        run.WaitForExit();
    }

    [Fact]
    public void Included_files_and_environment_expansion_configure_programs_as_written()
    {
        var (dir, conf) = Write(_ => """
            [include]
            files = conf.d/*.conf
            """);
        Directory.CreateDirectory(Path.Combine(dir, "conf.d"));
        File.WriteAllText(Path.Combine(dir, "conf.d", "app.conf"), """
            [program:app]
            command=sh -c 'echo "app mode=$MODE port=%(ENV_APP_PORT)s in %(here)s"; exec sleep 1000'
            environment=MODE="%(ENV_APP_MODE)s"
            """);
        File.WriteAllText(Path.Combine(dir, "conf.d", "worker.conf"), """
            [program:worker]
            command=sh -c 'echo "worker for %(ENV_APP_MODE)s"; exec sleep 1000'
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", conf], new Dictionary<string, string?> { ["APP_PORT"] = "8081", ["APP_MODE"] = "prod" });
        run.WaitForLine($"app mode=prod port=8081 in {Path.Combine(dir, "conf.d")}");
        run.WaitForLine("worker for prod");
        if (File.Exists(Supervisorctl))
        {
            WaitAllRunning(conf, 2);
            Assert.Equal(["app", "worker"], Status(conf).Select(l => l.Split(' ')[0]).Order(StringComparer.Ordinal));
        }
        Native.Kill(run.Pid, Sig.TERM);
        run.WaitForExit();
    }
}
