using Corral.Core.Config.Supervisord;
using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Supervisord.IniTestHelpers;

namespace Corral.Core.Tests.Config.Supervisord;

public class SupervisordConfigReaderTests
{
    [Fact]
    public void A_group_gathers_its_programs_processes_and_lends_them_its_priority()
    {
        var services = Clean(Main + "[program:a]\ncommand=x\n[program:b]\ncommand=y\nprocess_name=b%(process_num)d\nnumprocs=2\npriority=3\n[program:c]\ncommand=z\n[group:web]\nprograms=a, b\npriority=50\n").Services;
        Assert.Equal(["a", "b0", "b1", "c"], services.Select(s => s.Name));
        Assert.Equal<string>(["web"], services[0].MemberOf);
        Assert.Equal<string>(["web"], services[2].MemberOf);
        Assert.Empty(services[3].MemberOf);
        Assert.Equal([50, 3, 3, 999], services.Select(s => s.Priority));
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_GROUP_NAME", "web"), services[1].Environment);
    }

    [Fact]
    public void A_group_naming_a_missing_program_is_an_error_at_its_line()
    {
        var d = OnlyError(Main + "[program:a]\ncommand=x\n[group:web]\nprograms=a,nope\n");
        Assert.Equal("/etc/sv/supervisord.conf:6: group:web.programs: no [program:nope] section", d.ToString());
    }

    [Fact]
    public void Includes_are_matched_from_the_main_files_directory_and_keep_their_own_names_and_here()
    {
        var included = new IniText("/etc/sv/conf.d/extra.conf", "[program:extra]\ncommand=%(here)s/run\nbogus=1\n", "/etc/sv/conf.d");
        var r = Read(Main + "[include]\nfiles = conf.d/*.conf /abs/none.conf\n",
            new() { ["/etc/sv/conf.d/*.conf"] = new([included]) });
        var s = Assert.Single(r.Config!.Services);
        Assert.Equal<string>(["/etc/sv/conf.d/run"], s.Command);
        Assert.Equal("/etc/sv/conf.d/extra.conf:1", s.Where.ToString());
        Assert.Equal(["/etc/sv/conf.d/extra.conf:3: warning: program:extra.bogus: unknown option, ignored",
            "/etc/sv/supervisord.conf:4: warning: include.files: no file matches '/abs/none.conf'"],
            r.Diagnostics.Select(d => d.ToString()).Order());
    }

    [Fact]
    public void An_include_that_cannot_be_read_is_an_error_at_the_files_line()
    {
        var r = Read(Main + "[include]\nfiles=x.conf\n", new() { ["/etc/sv/x.conf"] = new([], "cannot read /etc/sv/x.conf: permission denied") });
        Assert.Equal("/etc/sv/supervisord.conf:4: include.files: cannot read /etc/sv/x.conf: permission denied", Assert.Single(r.Diagnostics).ToString());
    }

    [Fact]
    public void Supervisord_section_gives_every_program_its_environment_umask_user_and_the_pid_file()
    {
        var config = Clean("[supervisord]\nenvironment=G=1\numask=022\nuser=app\npidfile=%(here)s/s.pid\n[program:a]\ncommand=x\n[program:b]\ncommand=y\numask=077\nuser=other\n");
        Assert.All(config.Services, s => Assert.Contains(new KeyValuePair<string, string>("G", "1"), s.Environment));
        Assert.Equal([18, 63], config.Services.Select(s => s.Umask ?? -1));
        Assert.Equal(["app", "other"], config.Services.Select(s => s.User));
        Assert.Equal("/etc/sv/s.pid", config.PidFile);
        Assert.Null(Program("command=x\n").User);
        Assert.Null(Assert.Single(Clean("[supervisord]\nuser=root\n[program:a]\ncommand=x\n").Services).User);
    }

    [Theory]
    [InlineData("logfile=/var/log/supervisord.log", "logfile")]
    [InlineData("loglevel=debug", "loglevel")]
    [InlineData("childlogdir=/var/log/sv", "childlogdir")]
    [InlineData("minfds=4096", "minfds")]
    [InlineData("minprocs=400", "minprocs")]
    [InlineData("strip_ansi=true", "strip_ansi")]
    [InlineData("identifier=mine", "identifier")]
    public void Supervisord_options_corral_does_not_implement_warn(string line, string key)
    {
        var d = Assert.Single(Problems($"[supervisord]\n{line}\n[program:a]\ncommand=x\n"));
        Assert.StartsWith($"/etc/sv/supervisord.conf:2: warning: supervisord.{key}: not implemented by Corral: {key}", d.ToString());
    }

    [Fact]
    public void Harmless_supervisord_options_are_quiet()
    {
        Assert.Empty(Problems("[supervisord]\nnodaemon=true\nlogfile=/dev/null\nloglevel=info\ndirectory=/tmp\nnocleanup=true\nlogfile_maxbytes=0\n[supervisorctl]\nserverurl=unix:///x\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[program:a]\ncommand=x\n"));
    }

    [Fact]
    public void Unix_http_server_is_the_control_socket()
    {
        var control = Clean(Main + "[unix_http_server]\nfile=%(here)s/supervisor.sock\nchmod=0700\n").Control;
        Assert.Equal("/etc/sv/supervisor.sock", control.Socket);
        Assert.True(control.Enabled);
        var d = Assert.Single(Problems(Main + "[unix_http_server]\nfile=/run/s.sock\nchmod=0777\nchown=nobody\n"), d => d.Field == "unix_http_server.chmod");
        Assert.Contains("0600", d.Message);
    }

    [Fact]
    public void Inet_http_server_is_the_tcp_listener_and_needs_credentials()
    {
        Assert.Equal(new TcpListen("127.0.0.1", 9001, "admin", "pw"),
            Clean(Main + "[inet_http_server]\nport=127.0.0.1:9001\nusername=admin\npassword=pw\n").Control.Tcp);
        Assert.Equal("*", Clean(Main + "[inet_http_server]\nport=*:9001\nusername=a\npassword=b\n").Control.Tcp!.Host);
        Assert.Equal("*", Clean(Main + "[inet_http_server]\nport=9001\nusername=a\npassword=b\n").Control.Tcp!.Host);
        var d = OnlyError(Main + "[inet_http_server]\nport=:9001\n");
        Assert.Equal(3, d.Where.Line);
        Assert.Contains("never open without credentials", d.Message);
        Assert.Contains(Problems(Main + "[inet_http_server]\nport=:9001\nusername=a\npassword={SHA}abc\n"), d => d.Message.Contains("{SHA}", StringComparison.Ordinal));
    }

    [Fact]
    public void Fcgi_programs_and_unknown_sections_warn_with_their_line()
    {
        var problems = Problems(Main + "[fcgi-program:z]\n[DEFAULT]\n");
        Assert.Equal(["/etc/sv/supervisord.conf:3: warning: fcgi-program:z: not implemented yet by Corral: [fcgi-program:…] sections; this one is ignored",
            "/etc/sv/supervisord.conf:4: warning: DEFAULT: unknown section [DEFAULT], ignored"], problems.Select(d => d.ToString()));
    }

    [Fact]
    public void The_longest_stopwaitsecs_widens_the_shutdown_budget()
    {
        Assert.Equal(TimeSpan.FromSeconds(9), Clean(Main + "[program:a]\ncommand=x\nstopwaitsecs=5\n").ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(31), Clean(Main + "[program:a]\ncommand=x\nstopwaitsecs=30\n").ShutdownTimeout);
    }

    [Fact]
    public void Load_compiles_a_plan_and_puts_plan_errors_in_file_order()
    {
        var host = new SupervisordHost(Env, "box");
        var ok = SupervisordConfigReader.Load(Main + "[program:a]\ncommand=x\n", "s.conf", "/d", host, null);
        Assert.NotNull(ok.Plan);
        var clash = SupervisordConfigReader.Load(Main + "[program:a]\ncommand=x\n[program:b]\ncommand=x\n[group:a]\nprograms=b\n", "s.conf", "/d", host, null);
        Assert.Null(clash.Plan);
        Assert.Contains(clash.Diagnostics, d => d.Message.Contains("has the name of a service", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[supervisord]\n", true)]
    [InlineData("; c\n[program:web]\ncommand=x\n", true)]
    [InlineData("  [include]\r\nfiles=a\n", true)]
    [InlineData("services:\n  a:\n    command: [x]\n", false)]
    [InlineData("services: [supervisord]\n", false)]
    public void Detects_the_ini_format_by_its_section_headers(string text, bool ini) =>
        Assert.Equal(ini, SupervisordConfigReader.LooksLikeIni(text));

    [Fact]
    public void The_transcripts_config_reads_without_errors()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Config/Supervisord/TranscriptsSupervisord.conf.txt"));
        var extra = new IniText("/tmp/supcompat/conf.d/extra.conf", "[program:extra]\ncommand=sleep 999\n", "/tmp/supcompat/conf.d");
        var loaded = SupervisordConfigReader.Load(text, "/tmp/supcompat/supervisord.conf", "/tmp/supcompat", new SupervisordHost(Env, "box"),
            p => p == "/tmp/supcompat/conf.d/*.conf" ? new IncludeMatch([extra]) : new IncludeMatch([]));
        Assert.True(loaded.Plan is not null, string.Join("\n", loaded.Diagnostics));
        var c = loaded.Config!;
        Assert.Equal(["sleeper", "ticker", "failer", "echoer", "extra"], c.Services.Select(s => s.Name));
        Assert.Equal("/tmp/supcompat/supervisor.sock", c.Control.Socket);
        Assert.Equal(new TcpListen("127.0.0.1", 19001, "admin", "s3cret"), c.Control.Tcp);
        Assert.Equal("/tmp/supcompat/supervisord.pid", c.PidFile);
        var ticker = c.Services[1];
        Assert.Equal<string>(["workers"], ticker.MemberOf);
        Assert.Equal(100, ticker.Priority);
        Assert.Contains(new KeyValuePair<string, string>("GREETING", "hello, world"), ticker.Environment);
        Assert.Contains(new KeyValuePair<string, string>("SUPCOMPAT", "1"), ticker.Environment);
        Assert.Equal(new LogTarget(LogTargetKind.File, "/tmp/supcompat/logs/ticker.out.log", 50L << 20, 10), ticker.Logs.Stdout);
        Assert.Equal(TimeSpan.FromSeconds(3), c.Services[2].StartSeconds);
        Assert.Equal(LogTarget.Inherit, c.Services[3].Logs.Stdout);
        // Only warnings, each for an option Corral does not act on, with its line.
        Assert.Equal(["supervisord.childlogdir", "supervisord.logfile"], loaded.Diagnostics.Select(d => d.Field).Order());
    }
}
