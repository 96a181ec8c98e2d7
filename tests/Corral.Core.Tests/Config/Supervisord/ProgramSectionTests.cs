using Corral.Core.Model;
using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Supervisord.IniTestHelpers;

namespace Corral.Core.Tests.Config.Supervisord;

public class ProgramSectionTests
{
    [Fact]
    public void A_program_gets_supervisords_defaults()
    {
        var s = Program("command=/usr/bin/web --port 80\n");
        Assert.Equal("web", s.Name);
        Assert.Equal<string>(["/usr/bin/web", "--port", "80"], s.Command);
        Assert.False(s.Shell);
        Assert.Equal(RestartPolicy.OnFailure, s.Restart);
        Assert.Equal([0], s.SuccessExitCodes);
        Assert.Equal(TimeSpan.FromSeconds(1), s.StartSeconds);
        Assert.Equal(3, s.StartRetries);
        Assert.True(s.AutoStart);
        Assert.Equal(999, s.Priority);
        Assert.Equal(new StopSpec(Signals.SIGTERM, TimeSpan.FromSeconds(10)), s.Stop);
        Assert.Empty(s.MemberOf);
        Assert.Equal(new LogSpec(false, LogTarget.Inherit, LogTarget.Inherit, null), s.Logs);
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_ENABLED", "1"), s.Environment);
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_PROCESS_NAME", "web"), s.Environment);
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_GROUP_NAME", "web"), s.Environment);
    }

    [Fact]
    public void The_command_is_split_like_shlex()
    {
        Assert.Equal<string>(["/bin/sh", "-c", "echo \"a b\"; exit 3"], Program("command=/bin/sh -c 'echo \"a b\"; exit 3'\n").Command);
        Assert.Equal<string>(["echo", "a b", "c"], Program("command=echo \"a b\" c\n").Command);
    }

    [Fact]
    public void Every_lifecycle_option_is_read()
    {
        var s = Program("""
            command=x
            priority=5
            autostart=false
            startsecs=0
            startretries=7
            autorestart=true
            exitcodes=0,2
            stopsignal=QUIT
            stopwaitsecs=30
            stopasgroup=true
            killasgroup=false
            user=www-data
            directory=/srv/%(program_name)s
            umask=027
            """ + "\n");
        Assert.Equal(5, s.Priority);
        Assert.False(s.AutoStart);
        Assert.Equal(TimeSpan.Zero, s.StartSeconds);
        Assert.Equal(7, s.StartRetries);
        Assert.Equal(RestartPolicy.Always, s.Restart);
        Assert.Equal([0, 2], s.SuccessExitCodes.Order());
        Assert.Equal(new StopSpec(Signals.SIGQUIT, TimeSpan.FromSeconds(30)), s.Stop);
        Assert.Equal("www-data", s.User);
        Assert.Equal("/srv/web", s.WorkingDir);
        Assert.Equal(23, s.Umask);
    }

    [Theory]
    [InlineData("true", RestartPolicy.Always)]
    [InlineData("false", RestartPolicy.Never)]
    [InlineData("unexpected", RestartPolicy.OnFailure)]
    [InlineData("Yes", RestartPolicy.Always)]
    public void Autorestart_maps_to_a_restart_policy(string value, RestartPolicy expected) =>
        Assert.Equal(expected, Program($"command=x\nautorestart={value}\n").Restart);

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("HUP", 1)]
    [InlineData("INT", 2)]
    [InlineData("QUIT", 3)]
    [InlineData("KILL", 9)]
    [InlineData("USR1", 10)]
    [InlineData("USR2", 12)]
    [InlineData("SIGTERM", 15)]
    public void Stopsignal_takes_supervisords_names(string name, int signal) =>
        Assert.Equal(signal, Program($"command=x\nstopsignal={name}\n").Stop.Signal);

    [Fact]
    public void Environment_takes_supervisords_quoting_after_the_supervisord_sections()
    {
        var s = Assert.Single(Clean(Main + "environment=A=\"1\",B=global\n[program:web]\ncommand=x\nenvironment=GREETING=\"hello, world\",FOO=bar,B='x,y',P=%(ENV_PORT)s\n").Services);
        var env = s.Environment.Where(p => !p.Key.StartsWith("SUPERVISOR_", StringComparison.Ordinal)).ToList();
        Assert.Equal([new("A", "1"), new("B", "global"), new("GREETING", "hello, world"), new("FOO", "bar"), new("B", "x,y"), new("P", "8080")], env);
    }

    [Fact]
    public void Numprocs_makes_one_service_per_process_all_in_the_programs_group()
    {
        var services = Clean(Main + "[program:web]\ncommand=web --port 90%(process_num)02d\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=3\nnumprocs_start=1\n").Services;
        Assert.Equal(["web_01", "web_02", "web_03"], services.Select(s => s.Name));
        Assert.Equal<string>(["web", "--port", "9002"], services[1].Command);
        Assert.All(services, s => Assert.Equal<string>(["web"], s.MemberOf));
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_PROCESS_NAME", "web_02"), services[1].Environment);
    }

    [Fact]
    public void Numprocs_without_process_num_in_the_name_is_an_error_at_its_line()
    {
        var d = OnlyError(Main + "[program:web]\ncommand=x\nnumprocs=2\n");
        Assert.Equal("/etc/sv/supervisord.conf:5", d.Where.ToString());
        Assert.Equal("program:web.process_name", d.Field);
        Assert.Contains("%(process_num)", d.Message);
    }

    [Fact]
    public void A_path_log_file_rotates_with_supervisords_defaults_and_sizes()
    {
        var s = Program("command=x\nstdout_logfile=/var/log/%(program_name)s.log\nstderr_logfile=/var/log/err.log\nstderr_logfile_maxbytes=1KB\nstderr_logfile_backups=2\n");
        Assert.Equal(new LogTarget(LogTargetKind.File, "/var/log/web.log", 50L << 20, 10), s.Logs.Stdout);
        Assert.Equal(new LogTarget(LogTargetKind.File, "/var/log/err.log", 1024, 2), s.Logs.Stderr);
        Assert.Equal(0, Program("command=x\nstdout_logfile=/l\nstdout_logfile_maxbytes=0\n").Logs.Stdout.MaxBytes);
        Assert.Equal(1L << 30, Program("command=x\nstdout_logfile=/l\nstdout_logfile_maxbytes=1GB\n").Logs.Stdout.MaxBytes);
    }

    [Theory]
    [InlineData("/dev/stdout", "/dev/stderr")]
    [InlineData("/dev/fd/1", "/dev/fd/2")]
    [InlineData("/proc/self/fd/1", "/proc/self/fd/2")]
    [InlineData("AUTO", "auto")]
    public void The_docker_idiom_and_auto_go_to_corrals_own_output_whatever_maxbytes(string stdout, string stderr)
    {
        var r = Read(Main + $"[program:web]\ncommand=x\nstdout_logfile={stdout}\nstdout_logfile_maxbytes=50MB\nstderr_logfile={stderr}\n");
        Assert.Empty(r.Diagnostics);
        var s = Assert.Single(r.Config!.Services);
        Assert.Equal(LogTarget.Inherit, s.Logs.Stdout);
        Assert.Equal(LogTarget.Inherit, s.Logs.Stderr);
    }

    [Fact]
    public void None_discards_and_redirect_stderr_sends_stderr_where_stdout_goes()
    {
        Assert.Equal(LogTarget.Discard, Program("command=x\nstdout_logfile=NONE\n").Logs.Stdout);
        var s = Program("command=x\nredirect_stderr=true\nstdout_logfile=/l\n");
        Assert.Equal(s.Logs.Stdout, s.Logs.Stderr);
    }

    [Fact]
    public void Stderr_to_dev_stdout_warns_that_it_stays_on_stderr()
    {
        var d = Assert.Single(Problems(Main + "[program:web]\ncommand=x\nstderr_logfile=/dev/stdout\n"));
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("/etc/sv/supervisord.conf:5: warning: program:web.stderr_logfile: Corral writes a program's stderr to its own stderr, not to /dev/stdout (use stderr_logfile=/dev/stderr to say so)", d.ToString());
    }

    [Theory]
    [InlineData("stdout_capture_maxbytes=1MB", "stdout_capture_maxbytes")]
    [InlineData("stdout_syslog=true", "stdout_syslog")]
    public void Options_corral_does_not_implement_warn_with_file_and_line(string line, string key)
    {
        var d = Assert.Single(Problems(Main + $"[program:web]\ncommand=x\n{line}\n"));
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("/etc/sv/supervisord.conf:5", d.Where.ToString());
        Assert.Equal($"program:web.{key}", d.Field);
        Assert.StartsWith($"not implemented by Corral: {key}", d.Message);
    }

    [Fact]
    public void Their_off_values_are_accepted_quietly()
    {
        Assert.Empty(Problems(Main + "[program:web]\ncommand=x\nstdout_capture_maxbytes=0\nstdout_events_enabled=false\nstderr_syslog=false\nserverurl=AUTO\nstopasgroup=false\n"));
    }

    [Fact]
    public void An_unknown_option_warns_with_a_suggestion()
    {
        var d = Assert.Single(Problems(Main + "[program:web]\ncommand=x\nautorestrat=true\n"));
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Contains("did you mean 'autorestart'?", d.Message);
    }

    [Theory]
    [InlineData("autostart=maybe", "program:web.autostart", "expected true or false")]
    [InlineData("autorestart=sometimes", "program:web.autorestart", "expected true, false or unexpected")]
    [InlineData("startsecs=-1", "program:web.startsecs", "at least 0")]
    [InlineData("exitcodes=0,x", "program:web.exitcodes", "exit codes")]
    [InlineData("stopsignal=BOGUS", "program:web.stopsignal", "unknown signal")]
    [InlineData("umask=999", "program:web.umask", "octal")]
    [InlineData("stdout_logfile_maxbytes=lots", "program:web.stdout_logfile_maxbytes", "size")]
    [InlineData("environment=A", "program:web.environment", "KEY=value")]
    [InlineData("directory=%(ENV_NOPE)s", "program:web.directory", "NOPE is not set")]
    public void A_bad_value_is_an_error_naming_file_line_and_field(string line, string field, string message)
    {
        var r = Read(Main + $"[program:web]\ncommand=x\nstdout_logfile=/l\n{line}\n");
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal("/etc/sv/supervisord.conf:6", d.Where.ToString());
        Assert.Equal(field, d.Field);
        Assert.Contains(message, d.Message);
        Assert.Contains("web", r.Incomplete);
    }

    [Fact]
    public void A_program_without_a_command_is_an_error_at_its_section()
    {
        var d = OnlyError(Main + "[program:web]\npriority=1\n");
        Assert.Equal(3, d.Where.Line);
        Assert.Equal("program:web.command", d.Field);
    }
}
