using Corral.Core.Config.Argv;
using Corral.Core.Model;

namespace Corral.Core.Tests.Config.Argv;

public sealed class ExecArgsTests
{
    static ExecSpec Spec(params string[] args)
    {
        var outcome = ExecArgs.Read(args);
        Assert.Null(outcome.Message);
        return Assert.IsType<ExecSpec>(outcome.Spec);
    }

    static void AssertFails(string message, params string[] args)
    {
        var outcome = ExecArgs.Read(args);
        Assert.Null(outcome.Spec);
        Assert.Equal(new PrintAndExit(2, Stderr: $"corral exec: {message}\n\n{ExecArgs.Usage}"), outcome.Message);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("-u", "app", "--help", "--bogus")]
    public void Help_goes_to_stdout_with_code_0(params string[] args)
    {
        var outcome = ExecArgs.Read(args);
        Assert.Null(outcome.Spec);
        Assert.Equal(new PrintAndExit(0, ExecArgs.Usage), outcome.Message);
    }

    [Fact]
    public void A_command_alone_changes_nothing()
    {
        var spec = Spec("server", "--port", "80");
        Assert.Equal<string>(["server", "--port", "80"], spec.Command);
        Assert.Null(spec.User);
        Assert.Null(spec.Group);
        Assert.Null(spec.Umask);
        Assert.Empty(spec.Limits);
        Assert.Equal(0, spec.ParentDeathSignal);
        Assert.False(spec.NoNewPrivileges);
        Assert.Null(spec.WorkingDirectory);
        Assert.Null(spec.ReportFd);
    }

    [Fact]
    public void A_double_dash_ends_the_options()
    {
        var spec = Spec("--no-new-privs", "--", "-u", "x");
        Assert.True(spec.NoNewPrivileges);
        Assert.Null(spec.User);
        Assert.Equal<string>(["-u", "x"], spec.Command);
    }

    [Theory]
    [InlineData("-u", "app")]
    [InlineData("--user", "app")]
    [InlineData("--user=app")]
    public void User_sets_only_the_user(params string[] args)
    {
        var spec = Spec([.. args, "cmd"]);
        Assert.Equal("app", spec.User);
        Assert.Null(spec.Group);
    }

    [Theory]
    [InlineData("-u", "app:staff")]
    [InlineData("--user=app:staff")]
    [InlineData("--user", "1000:50")]
    public void User_colon_group_sets_both_like_gosu(params string[] args)
    {
        var spec = Spec([.. args, "cmd"]);
        var expected = args[^1].Replace("--user=", "").Split(':');
        Assert.Equal(expected[0], spec.User);
        Assert.Equal(expected[1], spec.Group);
    }

    [Theory]
    [InlineData("-g", "staff")]
    [InlineData("--group", "staff")]
    [InlineData("--group=staff")]
    public void Group_sets_the_primary_group(params string[] args)
    {
        Assert.Equal("staff", Spec([.. args, "cmd"]).Group);
    }

    [Theory]
    [InlineData("022", 0b000_010_010)]
    [InlineData("0027", 0b000_010_111)]
    [InlineData("7", 7)]
    [InlineData("777", 511)]
    [InlineData("0", 0)]
    public void Umask_is_read_as_octal(string value, int expected)
    {
        Assert.Equal(expected, Spec("--umask", value, "cmd").Umask);
        Assert.Equal(expected, Spec($"--umask={value}", "cmd").Umask);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("0o22")]
    [InlineData("")]
    [InlineData("00022")]
    [InlineData("-22")]
    public void A_bad_umask_fails_with_code_2(string value)
    {
        AssertFails("--umask needs an octal mode such as 022", "--umask", value, "cmd");
    }

    [Fact]
    public void Limits_accumulate_in_order()
    {
        var spec = Spec("--rlimit", "nofile=1024:4096", "--rlimit=core=unlimited", "cmd");
        Assert.Equal<ResourceLimit>(
            [new ResourceLimit("nofile", 1024, 4096), new ResourceLimit("core", ResourceLimit.Unlimited, ResourceLimit.Unlimited)],
            spec.Limits);
    }

    [Fact]
    public void A_bad_limit_fails_with_the_limit_readers_reason()
    {
        AssertFails("--rlimit: soft limit above hard limit in 'nofile=9:1'", "--rlimit", "nofile=9:1", "cmd");
        AssertFails("--rlimit: 'nofile' is not NAME=SOFT[:HARD]", "--rlimit", "nofile", "cmd");
        AssertFails("option '--rlimit' needs a value (NAME=SOFT[:HARD])", "--rlimit");
    }

    [Theory]
    [InlineData("SIGKILL", 9)]
    [InlineData("term", 15)]
    [InlineData("1", 1)]
    public void Parent_death_signal_takes_a_name_or_number(string value, int expected)
    {
        Assert.Equal(expected, Spec("--pdeathsig", value, "cmd").ParentDeathSignal);
        Assert.Equal(expected, Spec($"--pdeathsig={value}", "cmd").ParentDeathSignal);
    }

    [Fact]
    public void A_bad_parent_death_signal_fails_with_code_2()
    {
        AssertFails("--pdeathsig needs a signal name or number", "--pdeathsig", "NOPE", "cmd");
        AssertFails("option '--pdeathsig' needs a value (SIGNAL)", "--pdeathsig");
    }

    [Theory]
    [InlineData("-C", "/srv")]
    [InlineData("--workdir", "/srv")]
    [InlineData("--workdir=/srv")]
    public void Workdir_sets_the_directory(params string[] args)
    {
        Assert.Equal("/srv", Spec([.. args, "cmd"]).WorkingDirectory);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("17", 17)]
    public void Report_fd_takes_a_descriptor_of_3_or_more(string value, int expected)
    {
        Assert.Equal(expected, Spec("--report-fd", value, "cmd").ReportFd);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("x")]
    public void A_report_fd_below_3_fails_with_code_2(string value)
    {
        AssertFails("--report-fd needs a descriptor number of 3 or more", "--report-fd", value, "cmd");
    }

    [Theory]
    [InlineData("option '-u' needs a value (USER[:GROUP])", "-u")]
    [InlineData("--user needs a user", "--user=", "cmd")]
    [InlineData("option '-g' needs a value (GROUP)", "-g")]
    [InlineData("--group needs a group", "--group", "", "cmd")]
    [InlineData("option '-C' needs a value (DIR)", "-C")]
    public void A_missing_value_fails_with_code_2(string message, params string[] args)
    {
        AssertFails(message, args);
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("--bogus")]
    [InlineData("--bogus=1")]
    public void An_unknown_option_fails_with_code_2(string option)
    {
        AssertFails($"unknown option '{option.Split('=')[0]}'", option, "cmd");
    }

    [Theory]
    [InlineData]
    [InlineData("-u", "app")]
    [InlineData("--no-new-privs", "--")]
    public void No_command_fails_with_code_2(params string[] args)
    {
        AssertFails("no command given", args);
    }

    [Theory]
    [InlineData("-uapp")]
    [InlineData("-u", "app")]
    [InlineData("--user=app")]
    public void A_short_option_takes_its_value_attached_or_as_the_next_word(params string[] args)
    {
        Assert.Equal("app", Spec([.. args, "cmd"]).User);
    }

    [Fact]
    public void Hidden_chain_loading_options_are_read_but_not_in_the_usage()
    {
        var spec = Spec("--ignore-signals=INT,QUIT", "--ctty", "--report-fd", "5", "--error-style=tini", "cmd");
        Assert.Equal<int>([2, 3], spec.IgnoreSignals);
        Assert.True(spec.TakeControllingTerminal);
        Assert.Equal(5, spec.ReportFd);
        Assert.Equal(Personality.Tini, spec.ErrorStyle);
        Assert.DoesNotContain("report-fd", ExecArgs.Usage);
        Assert.DoesNotContain("error-style", ExecArgs.Usage);
    }

    [Fact]
    public void An_unknown_option_suggests_the_long_option_meant()
    {
        AssertFails("unknown option '--workdri'; did you mean '--workdir'?", "--workdri", "/srv", "cmd");
        AssertFails("unknown option '--no-new'; did you mean '--no-new-privs'?", "--no-new", "cmd");
    }
}
