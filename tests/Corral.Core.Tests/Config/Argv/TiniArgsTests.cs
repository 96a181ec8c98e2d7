using Corral.Core.Config.Argv;
using Corral.Core.Model;

namespace Corral.Core.Tests.Config.Argv;

/// <summary>Expected outputs and codes are what Debian's /usr/bin/tini 0.19.0 does with the same argv.</summary>
public sealed class TiniArgsTests
{
    const string Version = "9.9.9";
    const int Pid = 4242;
    const string Argv0 = "/usr/bin/tini";

    // `/usr/bin/tini -h`, verbatim (852 bytes); only the version in the first line differs in Corral.
    const string RealTiniHelp = """
        tini (tini version 0.19.0)
        Usage: tini [OPTIONS] PROGRAM -- [ARGS] | --version

        Execute a program under the supervision of a valid init process (tini)

        Command line options:

          --version: Show version and exit.
          -h: Show this help message and exit.
          -s: Register as a process subreaper (requires Linux >= 3.4).
          -p SIGNAL: Trigger SIGNAL when parent dies, e.g. "-p SIGKILL".
          -v: Generate more verbose output. Repeat up to 3 times.
          -w: Print a warning when processes are getting reaped.
          -g: Send signals to the child's process group.
          -e EXIT_CODE: Remap EXIT_CODE (from 0 to 255) to 0.
          -l: Show license and exit.

        Environment variables:

          TINI_SUBREAPER: Register as a process subreaper (requires Linux >= 3.4).
          TINI_VERBOSITY: Set the verbosity level (default: 1).
          TINI_KILL_PROCESS_GROUP: Send signals to the child's process group.


        """;

    static readonly string usage = RealTiniHelp.Replace("(tini version 0.19.0)", $"({TiniArgs.VersionLine(Version)})");

    static ArgvOutcome Read(params string[] args) => ReadWith(new Dictionary<string, string>(), args);

    static ArgvOutcome ReadWith(Dictionary<string, string> env, params string[] args) => TiniArgs.Read(Argv0, args, env, Version, Pid);

    static InitSpec Spec(ArgvOutcome outcome) => Assert.IsType<RunInit>(outcome).Spec;

    static PrintAndExit Printed(ArgvOutcome outcome) => Assert.IsType<PrintAndExit>(outcome);

    [Fact]
    public void Usage_is_the_real_tini_help_with_corral_in_the_version_line()
    {
        Assert.Equal(852, RealTiniHelp.Length);
        Assert.Equal(usage, TiniArgs.Usage("tini", Version));
        Assert.StartsWith("tini (tini version 0.19.0 - corral 9.9.9)\n", usage);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-sh")]
    [InlineData("cmd", "-h")]
    [InlineData("-p", "SIGKILL", "-h")]
    [InlineData("-h", "-e", "256")]
    public void Help_goes_to_stdout_with_code_0(params string[] args)
    {
        Assert.Equal(new PrintAndExit(0, usage), Read(args));
    }

    [Fact]
    public void Help_names_the_program_by_the_last_part_of_argv0()
    {
        var printed = Printed(TiniArgs.Read("/sbin/docker-init", ["-h"], new Dictionary<string, string>(), Version, Pid));
        Assert.Equal(TiniArgs.Usage("docker-init", Version), printed.Stdout);
        Assert.Contains("Usage: docker-init [OPTIONS]", printed.Stdout);
    }

    [Fact]
    public void Version_alone_prints_the_version_line_to_stdout()
    {
        Assert.Equal(new PrintAndExit(0, "tini version 0.19.0 - corral 9.9.9\n"), Read("--version"));
    }

    [Fact]
    public void Version_with_anything_else_is_an_invalid_dash_option()
    {
        var printed = Printed(Read("--version", "x"));
        Assert.Equal(1, printed.Code);
        Assert.Equal("", printed.Stdout);
        Assert.Equal("/usr/bin/tini: invalid option -- '-'\n" + usage, printed.Stderr);
    }

    [Fact]
    public void License_goes_to_stdout_with_code_0()
    {
        Assert.Equal(new PrintAndExit(0, License.Text), Read("-v", "-l"));
    }

    [Fact]
    public void No_command_prints_the_usage_to_stderr_with_code_1()
    {
        Assert.Equal(new PrintAndExit(1, Stderr: usage), Read());
        Assert.Equal(new PrintAndExit(1, Stderr: usage), Read("-s", "-v"));
    }

    [Theory]
    [InlineData("/usr/bin/tini: invalid option -- 'Z'\n", "-Z")]
    [InlineData("/usr/bin/tini: invalid option -- 'Z'\n", "-Z", "-h")]
    [InlineData("/usr/bin/tini: invalid option -- 'Z'\n", "-e5", "-Z")]
    [InlineData("/usr/bin/tini: invalid option -- 'c'\n", "sh", "-c", "true")]
    [InlineData("/usr/bin/tini: option requires an argument -- 'e'\n", "-e")]
    [InlineData("/usr/bin/tini: option requires an argument -- 'p'\n", "-p")]
    public void Getopt_mistakes_print_glibc_words_then_the_usage_to_stderr_with_code_1(string message, params string[] args)
    {
        Assert.Equal(new PrintAndExit(1, Stderr: message + usage), Read(args));
    }

    [Fact]
    public void A_command_with_no_flags_runs_with_tinis_defaults()
    {
        var spec = Spec(Read("cmd", "--", "arg"));
        Assert.Equal<string>(["cmd", "arg"], spec.Command);
        Assert.Equal(Personality.Tini, spec.Personality);
        Assert.Equal(ProcessGrouping.NewGroup, spec.Grouping);
        Assert.False(spec.Subreaper);
        Assert.False(spec.SignalGroup);
        Assert.False(spec.WarnOnReap);
        Assert.False(spec.TermOnChildExit);
        Assert.False(spec.JobControlStopsSelf);
        Assert.Equal(0, spec.ParentDeathSignal);
        Assert.Equal(1, spec.Verbosity);
        Assert.Empty(spec.ExitCodesAsSuccess);
        Assert.Empty(spec.Rewrites);
        Assert.Null(spec.ExecFailureExitCode);
        Assert.Null(spec.Grace);
    }

    [Fact]
    public void Each_flag_sets_its_feature()
    {
        Assert.True(Spec(Read("-s", "cmd")).Subreaper);
        Assert.True(Spec(Read("-g", "cmd")).SignalGroup);
        Assert.True(Spec(Read("-w", "cmd")).WarnOnReap);
        Assert.Equal(2, Spec(Read("-v", "cmd")).Verbosity);
        Assert.Equal(4, Spec(Read("-vvv", "cmd")).Verbosity);
        Assert.Equal(Signals.SIGKILL, Spec(Read("-p", "SIGKILL", "cmd")).ParentDeathSignal);
    }

    [Fact]
    public void Flags_after_the_program_are_still_read_unless_a_double_dash_comes_first()
    {
        var permuted = Spec(Read("cmd", "-s", "arg"));
        Assert.True(permuted.Subreaper);
        Assert.Equal<string>(["cmd", "arg"], permuted.Command);

        var literal = Spec(Read("--", "cmd", "-s", "-h"));
        Assert.False(literal.Subreaper);
        Assert.Equal<string>(["cmd", "-s", "-h"], literal.Command);
    }

    [Fact]
    public void POSIXLY_CORRECT_stops_reading_flags_at_the_program()
    {
        var spec = Spec(ReadWith(new() { ["POSIXLY_CORRECT"] = "1" }, "-s", "true", "-h"));
        Assert.True(spec.Subreaper);
        Assert.Equal<string>(["true", "-h"], spec.Command);
    }

    [Fact]
    public void Exit_codes_from_0_to_255_can_be_remapped_repeatedly()
    {
        var spec = Spec(Read("-e", "0", "-e", "143", "-e255", "-e", "+5", "-e", "143", "cmd"));
        Assert.Equal([0, 5, 143, 255], spec.ExitCodesAsSuccess.Order());
    }

    [Theory]
    [InlineData("256")]
    [InlineData("-1")]
    [InlineData("3x")]
    [InlineData("5 ")]
    [InlineData("0x10")]
    [InlineData("99999999999999999999")]
    public void A_bad_exit_code_is_fatal_with_code_1(string code)
    {
        Assert.Equal(new PrintAndExit(1, Stderr: $"[FATAL tini (4242)] Not a valid option for -e: {code}\n"), Read("-e", code, "cmd"));
    }

    [Fact]
    public void A_bad_exit_code_is_reported_before_a_later_getopt_mistake()
    {
        Assert.Equal(new PrintAndExit(1, Stderr: "[FATAL tini (4242)] Not a valid option for -e: 256\n"), Read("-e", "256", "-h"));
    }

    public static TheoryData<string, int> TiniSignalNames() => new()
    {
        { "SIGHUP", 1 }, { "SIGINT", 2 }, { "SIGQUIT", 3 }, { "SIGILL", 4 }, { "SIGTRAP", 5 },
        { "SIGABRT", 6 }, { "SIGBUS", 7 }, { "SIGFPE", 8 }, { "SIGKILL", 9 }, { "SIGUSR1", 10 },
        { "SIGSEGV", 11 }, { "SIGUSR2", 12 }, { "SIGPIPE", 13 }, { "SIGALRM", 14 }, { "SIGTERM", 15 },
        { "SIGCHLD", 17 }, { "SIGCONT", 18 }, { "SIGSTOP", 19 }, { "SIGTSTP", 20 }, { "SIGTTIN", 21 },
        { "SIGTTOU", 22 }, { "SIGURG", 23 }, { "SIGXCPU", 24 }, { "SIGXFSZ", 25 }, { "SIGVTALRM", 26 },
        { "SIGPROF", 27 }, { "SIGWINCH", 28 }, { "SIGSYS", 31 },
    };

    [Theory]
    [MemberData(nameof(TiniSignalNames))]
    public void Parent_death_signal_accepts_every_name_in_tinis_table(string name, int signal)
    {
        Assert.Equal(signal, Spec(Read("-p", name, "cmd")).ParentDeathSignal);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("9")]
    [InlineData("sigkill")]
    [InlineData("SIGPWR")]
    [InlineData("SIGSTKFLT")]
    [InlineData("SIGIO")]
    [InlineData("SIGPOLL")]
    [InlineData("SIGIOT")]
    [InlineData("SIGCLD")]
    [InlineData("SIGRTMIN")]
    [InlineData("")]
    public void Parent_death_signal_refuses_anything_outside_tinis_table(string name)
    {
        Assert.Equal(new PrintAndExit(1, Stderr: $"[FATAL tini (4242)] Not a valid option for -p: {name}\n"), Read("-p", name, "cmd"));
    }

    [Fact]
    public void Environment_variables_turn_features_on_whatever_their_value()
    {
        var env = new Dictionary<string, string> { ["TINI_SUBREAPER"] = "", ["TINI_KILL_PROCESS_GROUP"] = "0" };
        var spec = Spec(ReadWith(env, "cmd"));
        Assert.True(spec.Subreaper);
        Assert.True(spec.SignalGroup);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    [InlineData(" 2", 2)]
    [InlineData("3abc", 3)]
    [InlineData("abc", 0)]
    [InlineData("", 0)]
    [InlineData("-1", -1)]
    [InlineData("+2", 2)]
    public void TINI_VERBOSITY_is_read_like_atoi_and_overrides_v(string value, int expected)
    {
        var spec = Spec(ReadWith(new() { ["TINI_VERBOSITY"] = value }, "-vv", "cmd"));
        Assert.Equal(expected, spec.Verbosity);
    }

    [Fact]
    public void Fatal_lines_carry_tinis_prefix_and_the_pid()
    {
        Assert.Equal("[FATAL tini (7)] boom\n", TiniArgs.Fatal(7, "boom"));
    }
}
