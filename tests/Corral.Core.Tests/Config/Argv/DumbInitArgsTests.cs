using Corral.Core.Config.Argv;
using Corral.Core.Model;

namespace Corral.Core.Tests.Config.Argv;

/// <summary>Expected outputs and codes are what Debian's /usr/bin/dumb-init 1.2.5 does with the same argv.</summary>
public sealed class DumbInitArgsTests
{
    const string Argv0 = "/usr/bin/dumb-init";

    // `/usr/bin/dumb-init -h` on stderr, verbatim (898 bytes).
    const string RealDumbInitHelp = """
        dumb-init v1.2.5
        Usage: /usr/bin/dumb-init [option] command [[arg] ...]

        dumb-init is a simple process supervisor that forwards signals to children.
        It is designed to run as PID1 in minimal container environments.

        Optional arguments:
           -c, --single-child   Run in single-child mode.
                                In this mode, signals are only proxied to the
                                direct child and not any of its descendants.
           -r, --rewrite s:r    Rewrite received signal s to new signal r before proxying.
                                To ignore (not proxy) a signal, rewrite it to 0.
                                This option can be specified multiple times.
           -v, --verbose        Print debugging information to stderr.
           -h, --help           Print this help message and exit.
           -V, --version        Print the current version and exit.

        Full help is available online at https://github.com/Yelp/dumb-init

        """;

    const string RewriteUsage = """
        Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.
        This option can be specified multiple times.
        Use --help for full usage.

        """;

    static ArgvOutcome Read(params string[] args) => ReadWith(new Dictionary<string, string>(), args);

    static ArgvOutcome ReadWith(Dictionary<string, string> env, params string[] args) => DumbInitArgs.Read(Argv0, args, env);

    static InitSpec Spec(ArgvOutcome outcome) => Assert.IsType<RunInit>(outcome).Spec;

    [Fact]
    public void Help_is_the_real_dumb_init_help()
    {
        Assert.Equal(898, RealDumbInitHelp.Length);
        Assert.Equal(RealDumbInitHelp, DumbInitArgs.Help(Argv0));
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("--he")]
    [InlineData("-v", "-h", "cmd")]
    public void Help_goes_to_stderr_with_code_0(params string[] args)
    {
        Assert.Equal(new PrintAndExit(0, Stderr: RealDumbInitHelp), Read(args));
    }

    [Theory]
    [InlineData("-V")]
    [InlineData("--version")]
    [InlineData("--vers")]
    [InlineData("-c", "-v", "-V")]
    [InlineData("--rewrite=15:9", "-V")]
    [InlineData("-r", " 15: 3", "-V")]
    public void Version_goes_to_stderr_with_code_0(params string[] args)
    {
        Assert.Equal(new PrintAndExit(0, Stderr: "dumb-init v1.2.5\n"), Read(args));
    }

    [Fact]
    public void No_command_prints_the_short_usage_to_stderr_with_code_1()
    {
        var expected = new PrintAndExit(1, Stderr: "Usage: /usr/bin/dumb-init [option] program [args]\nTry /usr/bin/dumb-init --help for full usage.\n");
        Assert.Equal(expected, Read());
        Assert.Equal(expected, Read("-c", "-r", "1:2"));
    }

    [Theory]
    [InlineData("/usr/bin/dumb-init: invalid option -- 'Z'\n", "-Z")]
    [InlineData("/usr/bin/dumb-init: unrecognized option '--foo'\n", "--foo")]
    [InlineData("/usr/bin/dumb-init: option requires an argument -- 'r'\n", "-r")]
    [InlineData("/usr/bin/dumb-init: option '--rewrite' requires an argument\n", "--rewrite")]
    [InlineData("/usr/bin/dumb-init: option '--v' is ambiguous; possibilities: '--verbose' '--version'\n", "--v")]
    [InlineData("/usr/bin/dumb-init: option '--help' doesn't allow an argument\n", "--help=x")]
    [InlineData("/usr/bin/dumb-init: option '--version' doesn't allow an argument\n", "--version=1")]
    public void Getopt_mistakes_print_only_glibcs_words_to_stderr_with_code_1(string message, params string[] args)
    {
        Assert.Equal(new PrintAndExit(1, Stderr: message), Read(args));
    }

    [Theory]
    [InlineData("0:1")]
    [InlineData("32:1")]
    [InlineData("1:32")]
    [InlineData("15:-1")]
    [InlineData("-15:1")]
    [InlineData("15")]
    [InlineData("15:")]
    [InlineData("15 :3")]
    [InlineData(":3")]
    [InlineData("x:3")]
    [InlineData("")]
    public void A_bad_rewrite_prints_the_rewrite_usage_with_code_1(string rewrite)
    {
        Assert.Equal(new PrintAndExit(1, Stderr: RewriteUsage), Read("-r", rewrite, "cmd"));
    }

    [Theory]
    [InlineData("15:9", 15, 9)]
    [InlineData("1:0", 1, 0)]
    [InlineData("31:31", 31, 31)]
    [InlineData(" 15: 3", 15, 3)]
    [InlineData("+15:-0", 15, 0)]
    [InlineData("15:3abc", 15, 3)]
    [InlineData("15:0x", 15, 0)]
    [InlineData("2:3:4", 2, 3)]
    public void Rewrites_are_read_like_sscanf_d_colon_d(string rewrite, int from, int to)
    {
        var spec = Spec(Read("-r", rewrite, "cmd"));
        Assert.Equal(to, Assert.Single(spec.Rewrites, kv => kv.Key == from).Value);
        Assert.Single(spec.Rewrites);
    }

    [Fact]
    public void Rewrites_accumulate_and_a_later_one_for_the_same_signal_wins()
    {
        var spec = Spec(Read("-r", "15:2", "--rewrite=1:0", "--rew", "15:10", "cmd"));
        Assert.Equal(2, spec.Rewrites.Count);
        Assert.Equal(10, spec.Rewrites[15]);
        Assert.Equal(0, spec.Rewrites[1]);
    }

    [Fact]
    public void By_default_the_child_gets_a_new_session_and_signals_go_to_its_group()
    {
        var spec = Spec(Read("cmd", "arg"));
        Assert.Equal<string>(["cmd", "arg"], spec.Command);
        Assert.Equal(Personality.DumbInit, spec.Personality);
        Assert.Equal(ProcessGrouping.NewSession, spec.Grouping);
        Assert.True(spec.SignalGroup);
        Assert.True(spec.JobControlStopsSelf);
        Assert.True(spec.JobControlBecomesStop);
        Assert.True(spec.ChdirToRoot);
        Assert.True(spec.TermOnChildExit);
        Assert.Equal(2, spec.ExecFailureExitCode);
        Assert.Equal(1, spec.Verbosity);
        Assert.Empty(spec.Rewrites);
        Assert.False(spec.Subreaper);
        Assert.Null(spec.Grace);
    }

    [Theory]
    [InlineData("-c")]
    [InlineData("--single-child")]
    [InlineData("--s")]
    public void Single_child_mode_keeps_the_child_in_our_group_and_signals_only_it(string flag)
    {
        var spec = Spec(Read(flag, "cmd"));
        Assert.Equal(ProcessGrouping.Inherit, spec.Grouping);
        Assert.False(spec.SignalGroup);
        // dumb-init stops itself after any job-control signal, but only rewrites them to STOP in setsid mode.
        Assert.True(spec.JobControlStopsSelf);
        Assert.False(spec.JobControlBecomesStop);
        Assert.True(spec.TermOnChildExit);
    }

    [Fact]
    public void DUMB_INIT_SETSID_0_is_single_child_mode()
    {
        var spec = Spec(ReadWith(new() { ["DUMB_INIT_SETSID"] = "0" }, "cmd"));
        Assert.Equal(ProcessGrouping.Inherit, spec.Grouping);
        Assert.False(spec.SignalGroup);
        // dumb-init stops itself after any job-control signal, but only rewrites them to STOP in setsid mode.
        Assert.True(spec.JobControlStopsSelf);
        Assert.False(spec.JobControlBecomesStop);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("no")]
    public void DUMB_INIT_SETSID_other_than_0_keeps_setsid_mode(string value)
    {
        var spec = Spec(ReadWith(new() { ["DUMB_INIT_SETSID"] = value }, "cmd"));
        Assert.Equal(ProcessGrouping.NewSession, spec.Grouping);
        Assert.True(spec.SignalGroup);
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("--verbose")]
    [InlineData("--verb")]
    public void Verbose_turns_on_debug_output(string flag)
    {
        Assert.Equal(3, Spec(Read(flag, "cmd")).Verbosity);
    }

    [Fact]
    public void DUMB_INIT_DEBUG_1_turns_on_debug_output()
    {
        Assert.Equal(3, Spec(ReadWith(new() { ["DUMB_INIT_DEBUG"] = "1" }, "cmd")).Verbosity);
    }

    [Fact]
    public void Options_after_the_program_belong_to_the_program()
    {
        var spec = Spec(Read("-c", "cmd", "-h", "-r", "bad", "--", "x"));
        Assert.Equal<string>(["cmd", "-h", "-r", "bad", "--", "x"], spec.Command);
        Assert.Equal(ProcessGrouping.Inherit, spec.Grouping);
    }

    [Theory]
    [InlineData("--", "-h")]
    [InlineData("-")]
    public void A_double_dash_or_a_lone_dash_starts_the_command(params string[] args)
    {
        Assert.Equal(args.SkipWhile(a => a == "--"), Spec(Read(args)).Command);
    }
}
