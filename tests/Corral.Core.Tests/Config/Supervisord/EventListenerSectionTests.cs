using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Supervisord.IniTestHelpers;

namespace Corral.Core.Tests.Config.Supervisord;

public class EventListenerSectionTests
{
    [Fact]
    public void An_eventlistener_is_a_supervised_process_with_its_pool_events_and_buffer()
    {
        var config = Clean(Main + "[eventlistener:crashmail]\ncommand=/usr/bin/crashmail -m root\nevents=process_state_exited, TICK_60\nbuffer_size=50\nstderr_logfile=/var/log/crash.err\n");
        var s = Assert.Single(config.Services);
        Assert.Equal("crashmail", s.Name);
        Assert.Equal("/usr/bin/crashmail -m root", string.Join(" ", s.Command));
        Assert.Equal(new ListenerSpec("crashmail", ["PROCESS_STATE_EXITED", "TICK_60"], 50), s.Listener);
        // Listeners start first and stop last, as in supervisord; stdout is the protocol, not a log.
        Assert.Equal(-1, s.Priority);
        Assert.Equal(LogTargetKind.Discard, s.Logs.Stdout.Kind);
        Assert.Equal("/var/log/crash.err", s.Logs.Stderr.Path);
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_GROUP_NAME", "crashmail"), s.Environment);
    }

    [Fact]
    public void Numprocs_listeners_share_one_pool_named_after_the_section()
    {
        var config = Clean(Main + "[eventlistener:l]\ncommand=x\nevents=EVENT\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\npriority=5\n");
        Assert.Equal(["l_0", "l_1"], config.Services.Select(s => s.Name));
        Assert.All(config.Services, s => Assert.Equal("l", s.Listener!.Pool));
        Assert.All(config.Services, s => Assert.Equal("l", Assert.Single(s.MemberOf)));
        Assert.All(config.Services, s => Assert.Equal(5, s.Priority));
    }

    [Theory]
    [InlineData("command=x\n", "an event listener needs 'events = TYPE, …'")]
    [InlineData("command=x\nevents=PROCESS_STATE,NOPE\n", "unknown event type NOPE")]
    [InlineData("command=x\nevents=TICK_5\nbuffer_size=0\n", "expected a whole number of at least 1")]
    [InlineData("command=x\nevents=TICK_5\nredirect_stderr=true\n", "cannot redirect stderr")]
    public void What_supervisord_refuses_is_an_error_with_file_and_line(string body, string message)
    {
        var d = OnlyError(Main + "[eventlistener:l]\n" + body);
        Assert.StartsWith("/etc/sv/supervisord.conf:", d.Where.ToString());
        Assert.Contains(message, d.Message);
    }

    [Fact]
    public void A_result_handler_other_than_supervisord_s_default_is_warned()
    {
        Assert.Empty(Problems(Main + "[eventlistener:l]\ncommand=x\nevents=TICK_5\nresult_handler=supervisor.dispatchers:default_handler\n"));
        var d = Assert.Single(Problems(Main + "[eventlistener:l]\ncommand=x\nevents=TICK_5\nresult_handler=mymod:handle\n"));
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("eventlistener:l.result_handler", d.Field);
        Assert.StartsWith("not implemented by Corral: result_handler", d.Message);
    }

    [Fact]
    public void Programs_get_supervisord_s_server_url_from_the_http_server_sections()
    {
        var unix = Clean(Main + "[unix_http_server]\nfile=/run/supervisor.sock\n[program:a]\ncommand=x\n[program:b]\ncommand=x\nserverurl=http://other:9001\n");
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_SERVER_URL", "unix:///run/supervisor.sock"), unix.Services[0].Environment);
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_SERVER_URL", "http://other:9001"), unix.Services[1].Environment);
        var inet = Clean(Main + "[inet_http_server]\nport=*:9001\nusername=u\npassword=p\n[program:a]\ncommand=x\n");
        Assert.Contains(new KeyValuePair<string, string>("SUPERVISOR_SERVER_URL", "http://localhost:9001"), inet.Services[0].Environment);
        Assert.DoesNotContain(Program("command=x\n").Environment, kv => kv.Key == "SUPERVISOR_SERVER_URL");
    }

    [Fact]
    public void Events_enabled_options_ask_for_process_log_events()
    {
        var s = Program("command=x\nstdout_events_enabled=true\nstderr_events_enabled=yes\n");
        Assert.True(s.StdoutEvents);
        Assert.True(s.StderrEvents);
    }
}
