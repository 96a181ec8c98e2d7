using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>supervisord.conf read by `corral run`/`corral check`, and Corral invoked as supervisord.</summary>
public class SupervisordConfTests
{
    static string Bin => CorralBinary.Path;

    /// <summary>A directory with supervisord.conf (two copies of web, %(ENV_X)s, a pid file) and conf.d/extra.conf included.</summary>
    static (ConfigDir Dir, string Conf) Write()
    {
        var dir = new ConfigDir("");
        var conf = dir.File("supervisord.conf");
        File.WriteAllText(conf, """
            ; as in a Dockerfile's image
            [supervisord]
            nodaemon=true
            pidfile=%(here)s/supervisord.pid

            [program:web]
            command=/bin/sh -c 'echo web-%(process_num)d %(ENV_GREETING)s; exec sleep 1000'
            process_name=%(program_name)s_%(process_num)02d
            numprocs=2
            stdout_logfile=/dev/stdout
            stdout_logfile_maxbytes=0

            [include]
            files = conf.d/*.conf
            """);
        Directory.CreateDirectory(dir.File("conf.d"));
        File.WriteAllText(dir.File("conf.d/extra.conf"), "[program:extra]\ncommand=/bin/sh -c 'echo extra from %(here)s; exec sleep 1000'\n");
        return (dir, conf);
    }

    static readonly Dictionary<string, string?> greeting = new() { ["GREETING"] = "hello" };

    [Fact]
    public void Run_reads_supervisord_conf_with_numprocs_copies_expansions_and_an_include()
    {
        var (dir, conf) = Write();
        using var run = Run.Start(Bin, ["run", "-c", conf], greeting);
        // supervisord prints a program's lines as they are: no name in front.
        run.WaitForLine("web-0 hello");
        run.WaitForLine("web-1 hello");
        run.WaitForLine($"extra from {dir.File("conf.d")}");
        Wait.Until(() => dir.Read("supervisord.pid").Trim() == run.Pid.ToString(), TimeSpan.FromSeconds(10), "the pid file");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.False(File.Exists(dir.File("supervisord.pid")), "the pid file is removed at exit");
    }

    [Fact]
    public void Check_prints_the_warnings_and_errors_of_a_supervisord_conf_with_file_and_line()
    {
        var dir = new ConfigDir("");
        var conf = dir.File("supervisord.conf");
        File.WriteAllText(conf, "[supervisord]\nchildlogdir=/var/log/sv\n[program:a]\ncommand=sleep 1\nstdout_capture_maxbytes=1MB\n");
        var ok = Run.Exec(Bin, "check", "-c", conf);
        Assert.Equal(0, ok.Code);
        Assert.Contains($"{conf}:2: warning: supervisord.childlogdir: not implemented by Corral: childlogdir", ok.Stderr);
        Assert.Contains($"{conf}:5: warning: program:a.stdout_capture_maxbytes: not implemented by Corral: stdout_capture_maxbytes", ok.Stderr);
        Assert.Contains("ok, 1 service", ok.Stdout);

        File.AppendAllText(conf, "autorestart=sometimes\n");
        var bad = Run.Exec(Bin, "check", "-c", conf);
        Assert.Equal(1, bad.Code);
        Assert.Contains($"{conf}:6: program:a.autorestart: expected true, false or unexpected, got 'sometimes'", bad.Stderr);
    }

    [Fact]
    public void A_link_named_supervisord_runs_with_n_and_c()
    {
        var (_, conf) = Write();
        using var run = Run.Start(CorralBinary.As("supervisord"), ["-n", "-c", conf], greeting);
        run.WaitForLine("web-1 hello");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_link_named_supervisord_without_c_finds_supervisord_conf_in_the_working_directory()
    {
        var (dir, _) = Write();
        using var run = Run.Start("/bin/sh", ["-c", $"cd '{dir.Path}' && exec '{CorralBinary.As("supervisord")}' -n"], greeting);
        run.WaitForLine("web-0 hello");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void The_supervisord_link_refuses_what_would_change_the_programs_and_prints_a_version()
    {
        var user = Run.Exec(CorralBinary.As("supervisord"), "-u", "nobody");
        Assert.Equal(2, user.Code);
        Assert.Contains("-u is not supported", user.Stderr);
        var version = Run.Exec(CorralBinary.As("supervisord"), "-v");
        Assert.Equal(0, version.Code);
        Assert.StartsWith("corral ", version.Stdout);
    }

    [Fact]
    public void The_supervisord_link_notes_the_options_it_accepts_without_effect_and_says_when_no_config_is_found()
    {
        if (File.Exists("/etc/supervisord.conf") || File.Exists("/etc/supervisor/supervisord.conf")) return; // this machine has one
        var dir = new ConfigDir("");
        var r = Run.Exec("/bin/sh", "-c", $"cd '{dir.Path}' && exec '{CorralBinary.As("supervisord")}' -n -l /var/log/s.log");
        Assert.Equal(2, r.Code);
        Assert.Contains("supervisord (corral): -l accepted, not implemented", r.Stderr);
        Assert.Contains("Error: No config file found at default paths", r.Stderr);
    }
}
