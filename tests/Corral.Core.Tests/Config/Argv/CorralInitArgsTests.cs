using Corral.Core.Config.Argv;
using Corral.Core.Model;

namespace Corral.Core.Tests.Config.Argv;

public sealed class CorralInitArgsTests
{
    static ArgvOutcome Read(params string[] args) => ReadWith(new Dictionary<string, string>(), args);

    static ArgvOutcome ReadWith(Dictionary<string, string> env, params string[] args) => CorralInitArgs.Read(args, env, "1.2.3");

    static InitSpec Spec(ArgvOutcome outcome) => Assert.IsType<RunInit>(outcome).Spec;

    static PrintAndExit Failure(string message) => new(2, Stderr: $"corral: {message}\n\n{CorralInitArgs.Usage}");

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("-s", "--help", "--bogus")]
    public void Help_goes_to_stdout_with_code_0(params string[] args)
    {
        Assert.Equal(new PrintAndExit(0, CorralInitArgs.Usage), Read(args));
    }

    [Fact]
    public void Version_goes_to_stdout_with_code_0()
    {
        Assert.Equal(new PrintAndExit(0, "corral 1.2.3\n"), Read("--version"));
    }

    [Theory]
    [InlineData("-l")]
    [InlineData("--license")]
    public void License_goes_to_stdout_with_code_0(string flag)
    {
        Assert.Equal(new PrintAndExit(0, License.Text), Read(flag));
    }

    [Fact]
    public void A_command_alone_runs_with_corrals_defaults()
    {
        var spec = Spec(Read("cmd", "-s"));
        Assert.Equal<string>(["cmd", "-s"], spec.Command);
        Assert.Equal(Personality.Corral, spec.Personality);
        Assert.Equal(ProcessGrouping.NewGroup, spec.Grouping);
        Assert.False(spec.Subreaper);
        Assert.False(spec.SignalGroup);
        Assert.False(spec.WarnOnReap);
        Assert.False(spec.TermOnChildExit);
        Assert.Equal(1, spec.Verbosity);
        Assert.Empty(spec.ExitCodesAsSuccess);
        Assert.Null(spec.Grace);
        Assert.Null(spec.ExecFailureExitCode);
    }

    [Fact]
    public void Options_end_at_a_double_dash_and_the_rest_is_the_command()
    {
        var spec = Spec(Read("-s", "--", "-g", "--", "x"));
        Assert.True(spec.Subreaper);
        Assert.False(spec.SignalGroup);
        Assert.Equal<string>(["-g", "--", "x"], spec.Command);
    }

    [Fact]
    public void A_lone_dash_is_the_command()
    {
        Assert.Equal<string>(["-", "x"], Spec(Read("-", "x")).Command);
    }

    [Theory]
    [InlineData("-s")]
    [InlineData("--subreaper")]
    public void Subreaper_flag_registers_as_subreaper(string flag) => Assert.True(Spec(Read(flag, "cmd")).Subreaper);

    [Theory]
    [InlineData("-g")]
    [InlineData("--signal-group")]
    public void Signal_group_flag_forwards_to_the_group(string flag) => Assert.True(Spec(Read(flag, "cmd")).SignalGroup);

    [Theory]
    [InlineData("-w")]
    [InlineData("--warn-reap")]
    public void Warn_reap_flag_warns_on_reaping(string flag) => Assert.True(Spec(Read(flag, "cmd")).WarnOnReap);

    [Theory]
    [InlineData(2, "-v")]
    [InlineData(2, "--verbose")]
    [InlineData(3, "-v", "-v")]
    [InlineData(3, "-vv")]
    [InlineData(4, "-vvv")]
    [InlineData(0, "-q")]
    [InlineData(0, "-v", "--quiet")]
    [InlineData(1, "-q", "-v")]
    public void Verbosity_counts_v_and_quiet_resets_it(int expected, params string[] flags)
    {
        Assert.Equal(expected, Spec(Read([.. flags, "cmd"])).Verbosity);
    }

    [Theory]
    [InlineData("-p", "SIGKILL", 9)]
    [InlineData("--pdeathsig", "term", 15)]
    [InlineData("-p", "10", 10)]
    [InlineData("-p", "RTMIN+2", 36)]
    public void Parent_death_signal_takes_any_signal_name_or_number(string flag, string value, int expected)
    {
        Assert.Equal(expected, Spec(Read(flag, value, "cmd")).ParentDeathSignal);
    }

    [Theory]
    [InlineData("-p", "SIGFOO")]
    [InlineData("--pdeathsig", "0")]
    public void A_bad_parent_death_signal_fails_with_code_2(params string[] args)
    {
        Assert.Equal(Failure($"{args[0]} needs a signal name or number, e.g. {args[0]} SIGKILL"), Read(args));
    }

    [Fact]
    public void Success_exit_codes_accumulate()
    {
        var spec = Spec(Read("-e", "0", "--success-exit", "143", "-e", "255", "cmd"));
        Assert.Equal([0, 143, 255], spec.ExitCodesAsSuccess.Order());
    }

    [Theory]
    [InlineData("-e", "256")]
    [InlineData("-e", "-1")]
    [InlineData("--success-exit", "x")]
    public void A_bad_success_exit_code_fails_with_code_2(params string[] args)
    {
        Assert.Equal(Failure($"{args[0]} needs an exit code from 0 to 255"), Read(args));
    }

    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("500ms", 500)]
    [InlineData("0", 0)]
    [InlineData("1m30s", 90_000)]
    public void Grace_takes_a_duration(string value, double ms)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(ms), Spec(Read("--grace", value, "cmd")).Grace);
    }

    [Theory]
    [InlineData("--grace", "soon", "cmd")]
    [InlineData("--grace", "-1s", "cmd")]
    public void A_bad_grace_fails_with_code_2(params string[] args)
    {
        Assert.Equal(Failure("--grace needs a duration such as 5s or 500ms"), Read(args));
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("--bogus")]
    [InlineData("--grace-period")]
    public void An_unknown_option_fails_with_code_2(string option)
    {
        Assert.Equal(Failure($"unknown option '{option}'"), Read(option, "cmd"));
    }

    [Theory]
    [InlineData("option '-p' needs a value (SIGNAL)", "-p")]
    [InlineData("option '--pdeathsig' needs a value (SIGNAL)", "--pdeathsig")]
    [InlineData("option '-e' needs a value (CODE)", "-e")]
    [InlineData("option '--grace' needs a value (DURATION)", "--grace")]
    public void A_missing_value_fails_with_code_2_naming_the_option(string message, params string[] args)
    {
        Assert.Equal(Failure(message), Read(args));
    }

    [Theory]
    [InlineData("unknown option '--grac'; did you mean '--grace'?", "--grac=5s")]
    [InlineData("unknown option '--subreper'; did you mean '--subreaper'?", "--subreper")]
    [InlineData("option '--subreaper' takes no value", "--subreaper=yes")]
    [InlineData("unknown option '-x' (in '-sx')", "-sx")]
    public void Mistakes_name_the_option_and_suggest_the_one_meant(string message, string option)
    {
        Assert.Equal(Failure(message), Read(option, "cmd"));
    }

    [Fact]
    public void Short_flags_bundle_and_a_value_may_be_attached()
    {
        var spec = Spec(Read("-sgwe143", "-pKILL", "cmd"));
        Assert.True(spec.Subreaper);
        Assert.True(spec.SignalGroup);
        Assert.True(spec.WarnOnReap);
        Assert.Equal([143], spec.ExitCodesAsSuccess);
        Assert.Equal(Signals.SIGKILL, spec.ParentDeathSignal);
    }

    [Fact]
    public void Options_after_the_command_belong_to_the_command()
    {
        var spec = Spec(Read("-s", "cmd", "-g", "--grace", "5s"));
        Assert.False(spec.SignalGroup);
        Assert.Null(spec.Grace);
        Assert.Equal<string>(["cmd", "-g", "--grace", "5s"], spec.Command);
    }

    [Theory]
    [InlineData]
    [InlineData("-s", "-g")]
    [InlineData("-s", "--")]
    public void No_command_fails_with_code_2(params string[] args)
    {
        Assert.Equal(Failure("no command given"), Read(args));
    }

    [Fact]
    public void Tini_environment_variables_are_honoured()
    {
        var env = new Dictionary<string, string> { ["TINI_SUBREAPER"] = "", ["TINI_KILL_PROCESS_GROUP"] = "1", ["TINI_VERBOSITY"] = "3" };
        var spec = Spec(ReadWith(env, "cmd"));
        Assert.True(spec.Subreaper);
        Assert.True(spec.SignalGroup);
        Assert.Equal(3, spec.Verbosity);
    }

    [Fact]
    public void Flags_count_on_top_of_TINI_VERBOSITY_and_a_non_number_is_ignored()
    {
        Assert.Equal(3, Spec(ReadWith(new() { ["TINI_VERBOSITY"] = "2" }, "-v", "cmd")).Verbosity);
        Assert.Equal(1, Spec(ReadWith(new() { ["TINI_VERBOSITY"] = "lots" }, "cmd")).Verbosity);
        Assert.Equal(0, Spec(ReadWith(new() { ["TINI_VERBOSITY"] = "3" }, "-q", "cmd")).Verbosity);
    }

    [Fact]
    public void Long_options_take_their_value_after_an_equals_sign()
    {
        var run = Assert.IsType<RunInit>(CorralInitArgs.Read(["--grace=5s", "--pdeathsig=SIGKILL", "--", "cmd"], new Dictionary<string, string>(), "0.1.0"));
        Assert.Equal(TimeSpan.FromSeconds(5), run.Spec.Grace);
        Assert.Equal(Signals.SIGKILL, run.Spec.ParentDeathSignal);
    }
}
