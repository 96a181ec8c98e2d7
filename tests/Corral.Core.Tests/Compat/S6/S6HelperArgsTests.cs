using Corral.Core.Compat.S6;

namespace Corral.Core.Tests.Compat.S6;

/// <summary>The command lines of the s6 helper commands, read as skarnet's programs read them.</summary>
public class S6HelperArgsTests
{
    [Fact]
    public void Skarnet_options_cluster_take_values_from_the_same_or_next_word_and_stop_at_the_first_operand()
    {
        var read = Subgetopt.Parse(["-wU", "-T", "500", "-ud", "/run/service/x", "-r"], "udw:T:");
        Assert.Null(read.Error);
        Assert.Equal([('w', "U"), ('T', "500"), ('u', null), ('d', null)], read.Options.ToArray());
        Assert.Equal(["/run/service/x", "-r"], read.Rest.ToArray());
        Assert.Equal("unknown option -z", Subgetopt.Parse(["-z"], "u").Error);
        Assert.Equal("option -T needs a value", Subgetopt.Parse(["-T"], "T:").Error);
        Assert.Equal(["-u"], Subgetopt.Parse(["--", "-u"], "u").Rest.ToArray());
    }

    [Theory]
    [InlineData("/run/service/nginx", "nginx")]
    [InlineData("/var/run/s6/legacy-services/nginx/", "nginx")]
    [InlineData("/run/s6-rc/servicedirs/php-fpm", "php-fpm")]
    [InlineData("/run/service/nginx/log", "nginx-log")]
    [InlineData("nginx", "nginx")]
    public void A_service_directory_stands_for_the_service_of_its_last_component(string path, string name) =>
        Assert.Equal(name, ServiceDirectory.NameOf(path));

    [Fact]
    public void S6_svc_keeps_the_commands_in_order_and_reads_the_wait_and_its_timeout()
    {
        var (request, error) = SvcRequest.Parse(["-r", "-wU", "-T", "2000", "/run/service/app", "/run/service/db"]);
        Assert.Null(error);
        Assert.Equal("r", request!.Commands);
        Assert.Equal('U', request.WaitFor);
        Assert.Equal(TimeSpan.FromSeconds(2), request.Timeout);
        Assert.Equal(["app", "db"], request.Services.ToArray());
        Assert.Equal("hd", SvcRequest.Parse(["-hd", "x"]).Request!.Commands);
        Assert.Equal("TERM", SvcRequest.SignalLetters['t']);
    }

    [Theory]
    [InlineData(new[] { "-u" }, "no service directory")]
    [InlineData(new[] { "-wz", "x" }, "-w needs one of u, U, d, D, r, R, not 'z'")]
    [InlineData(new[] { "-T", "soon", "x" }, "-T needs milliseconds, not 'soon'")]
    [InlineData(new[] { "-Z", "x" }, "unknown option -Z")]
    public void S6_svc_refuses_wrong_usage_with_a_reason(string[] args, string message) =>
        Assert.Equal(message, SvcRequest.Parse(args).Error);

    [Fact]
    public void S6_svwait_waits_for_up_of_all_by_default_and_reads_state_any_and_timeout()
    {
        var plain = SvwaitRequest.Parse(["/run/service/a"]).Request!;
        Assert.Equal(('u', true, (TimeSpan?)null), (plain.State, plain.All, plain.Timeout));
        var read = SvwaitRequest.Parse(["-U", "-o", "-t", "0", "a", "b"]).Request!;
        Assert.Equal(('U', false, (TimeSpan?)null), (read.State, read.All, read.Timeout));
        Assert.Equal(TimeSpan.FromMilliseconds(250), SvwaitRequest.Parse(["-D", "-t250", "a"]).Request!.Timeout);
    }

    [Fact]
    public void S6_svstat_reads_field_letters_and_the_o_list_in_order()
    {
        var read = SvstatRequest.Parse(["-upr", "/run/service/a"]).Request!;
        Assert.Equal(["up", "pid", "ready"], read.Fields.ToArray());
        Assert.Equal("a", read.Service);
        Assert.Equal(["wantedup", "exitcode"], SvstatRequest.Parse(["-o", "wantedup,exitcode", "a"]).Request!.Fields.ToArray());
        Assert.Equal("unknown field 'colour'", SvstatRequest.Parse(["-o", "colour", "a"]).Error);
        Assert.Equal("one service directory only", SvstatRequest.Parse(["a", "b"]).Error);
    }

    [Theory]
    [InlineData("-t", SvscanctlAction.Shutdown)]
    [InlineData("-q", SvscanctlAction.Shutdown)]
    [InlineData("-h", SvscanctlAction.Reload)]
    [InlineData("-an", SvscanctlAction.Reload)]
    [InlineData("-z", SvscanctlAction.None)]
    [InlineData("-ht", SvscanctlAction.Shutdown)]
    public void S6_svscanctl_commands_mean_shutdown_reload_or_nothing(string option, SvscanctlAction action) =>
        Assert.Equal(action, SvscanctlRequest.Parse([option, "/run/service"]).Request!.Action);

    [Fact]
    public void S6_rc_reads_change_up_and_down_and_list_of_the_active()
    {
        var up = S6RcRequest.Parse(["-u", "change", "nginx"]).Request!;
        Assert.Equal(("change", true, false), (up.Command, up.Up, up.Active));
        Assert.Equal(["nginx"], up.Names.ToArray());
        var down = S6RcRequest.Parse(["-v2", "-l", "/run/s6-rc", "-d", "change", "a", "b"]).Request!;
        Assert.False(down.Up);
        Assert.Equal(["a", "b"], down.Names.ToArray());
        Assert.Equal(["all"], S6RcRequest.Parse(["-da", "change"]).Request!.Names.ToArray());
        Assert.True(S6RcRequest.Parse(["-a", "list"]).Request!.Active);
        Assert.Equal("unknown command 'start'", S6RcRequest.Parse(["start", "x"]).Error);
    }

    [Fact]
    public void Fdmove_reads_copy_target_source_and_the_program()
    {
        var read = FdmoveRequest.Parse(["-c", "2", "1", "sh", "-c", "x"]).Request!;
        Assert.Equal((true, 2, 1), (read.Copy, read.To, read.From));
        Assert.Equal(["sh", "-c", "x"], read.Command.ToArray());
        Assert.False(FdmoveRequest.Parse(["1", "3", "prog"]).Request!.Copy);
        Assert.Equal("too few arguments", FdmoveRequest.Parse(["1", "3"]).Error);
        Assert.Equal("'x' is not a descriptor", FdmoveRequest.Parse(["x", "3", "prog"]).Error);
    }

    [Fact]
    public void Setuidgid_takes_a_name_or_uid_gid_and_envuidgid_its_options()
    {
        var named = UidgidRequest.Parse(["nobody", "id", "-u"], env: false).Request!;
        Assert.Equal(("nobody", (string?)null), (named.User, named.Group));
        Assert.Equal(["id", "-u"], named.Command.ToArray());
        var numeric = UidgidRequest.Parse(["1000:1001", "id"], env: false).Request!;
        Assert.Equal(("1000", "1001"), (numeric.User, numeric.Group));
        Assert.Equal("unknown option -i", UidgidRequest.Parse(["-i", "x", "id"], env: false).Error);
        var tolerant = UidgidRequest.Parse(["-D", "1:2:3", "ghost", "id"], env: true).Request!;
        Assert.True(tolerant.TolerateUnknown);
        Assert.Equal("1:2:3", tolerant.Default);
        Assert.Equal([new("UID", "65534"), new("GID", "65534"), new("GIDLIST", "65534,100")], UidgidRequest.Variables(65534, 65534, [65534, 100]).ToArray());
    }

    [Fact]
    public void Notifyoncheck_has_s6_defaults_and_reads_every_option()
    {
        var plain = NotifyOnCheckRequest.Parse(["nginx"]).Request!;
        Assert.Equal(((int?)null, TimeSpan.Zero, TimeSpan.FromSeconds(1), 7, (string?)null), (plain.Fd, plain.Initial, plain.Interval, plain.Tries, plain.CheckCommand));
        var read = NotifyOnCheckRequest.Parse(["-d", "-3", "5", "-s", "100", "-T", "3000", "-t", "200", "-w", "50", "-n", "0", "-c", "curl -f localhost", "nginx", "-g"]).Request!;
        Assert.Equal((5, TimeSpan.FromMilliseconds(100), (TimeSpan?)TimeSpan.FromSeconds(3), (TimeSpan?)TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50), 0),
            (read.Fd, read.Initial, read.Timeout, read.CheckTimeout, read.Interval, read.Tries));
        Assert.Equal("curl -f localhost", read.CheckCommand);
        Assert.Equal(["nginx", "-g"], read.Command.ToArray());
        Assert.Equal("-n needs a number, not 'many'", NotifyOnCheckRequest.Parse(["-n", "many", "x"]).Error);
    }

    [Fact]
    public void The_container_environment_is_written_one_file_per_variable_and_read_back_as_s6_envdir_Lfn()
    {
        var files = ContainerEnvironment.Files(new Dictionary<string, string> { ["TZ"] = "Europe/Paris", ["A/B"] = "x", ["MULTI"] = "a\nb\n" });
        Assert.Equal([new("MULTI", "a\nb\n"), new("TZ", "Europe/Paris")], files.ToArray());
        var env = ContainerEnvironment.Apply(["PATH=/bin", "TZ=UTC", "GONE=1"], [("TZ", "Europe/Paris"), ("MULTI", "a\0b\n"), ("GONE", "")]);
        Assert.Equal(["PATH=/bin", "TZ=Europe/Paris", "MULTI=a\nb\n"], env.ToArray());
    }
}
