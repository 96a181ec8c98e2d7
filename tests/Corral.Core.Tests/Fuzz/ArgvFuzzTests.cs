using CsCheck;
using Corral.Core.Config.Argv;

namespace Corral.Core.Tests.Fuzz;

/// <summary>
/// Every personality's and verb's command line on generated argv: each one gets a spec to run or
/// a message and an exit code, never an exception or a hang.
/// </summary>
public class ArgvFuzzTests
{
    static readonly Dictionary<string, string> noEnv = [];

    /// <summary>Words from every grammar: options, their values, operands, and damage.</summary>
    static readonly Gen<string> word = Gen.OneOf(
        Gen.OneOf(
            "-", "--", "-h", "--help", "--version", "-v", "-vvv", "-s", "-g", "-w", "-l", "-p", "SIGKILL", "-pSIGTERM", "-e", "-e256", "-e-1",
            "-e99999999999999999999", "-c", "--single-child", "-r", "15:0", "--rewrite=1:2", "-r31:31", "-r0:0", "--rew", "--re", "-V",
            "--grace", "5s", "--grace=99999d", "-q", "--success-exit", "--pdeathsig", "--configuration", "-n", "-u", "-m", "--minprocs",
            "status", "start", "stop", "restart", "signal", "HUP", "logs", "-f", "-n", "-1", "--lines=99999999999", "wait", "--timeout",
            "1e308", "--ready", "--healthy", "scale", "2", "reload", "shutdown", "--socket", "--url", "--user", "--json", "--reopen",
            "--procfile", "--formation", "web=2", "--env-file", "--port", "--can-die", "-C", "--uid", "--gid", "--umask", "--chdir",
            "--rlimit", "nofile=1024", "--", "sleep", "1", "all", "=", "--=", "-=", "---", "--\0", "-\0"),
        Mutations.Odd,
        Gen.String[0, 8]);

    static readonly Gen<string[]> argv = word.Array[0, 10];

    static void Check(Action<string[]> read) =>
        Fuzzing.Check(argv, read, args => string.Join(" ", args.Select(Fuzzing.Shorten)), ci: 300);

    [Fact]
    public void Tini_argv_always_gives_a_command_or_a_message() =>
        Check(args => Outcome(TiniArgs.Read("tini", args, noEnv, "0.1.0", 1)));

    [Fact]
    public void Tini_argv_with_its_environment_always_gives_a_command_or_a_message() =>
        Fuzzing.Check(Gen.Select(argv, Gen.OneOf("", "1", "-5", "99999999999999", "x", " 3x")),
            t => Outcome(TiniArgs.Read("/sbin/tini", t.Item1, new Dictionary<string, string> { ["TINI_VERBOSITY"] = t.Item2, ["POSIXLY_CORRECT"] = "" }, "0.1.0", 1)),
            t => string.Join(" ", t.Item1) + $" TINI_VERBOSITY={t.Item2}", ci: 200);

    [Fact]
    public void Dumb_init_argv_always_gives_a_command_or_a_message() =>
        Check(args => Outcome(DumbInitArgs.Read("dumb-init", args, new Dictionary<string, string> { ["DUMB_INIT_SETSID"] = "0", ["DUMB_INIT_DEBUG"] = "1" })));

    [Fact]
    public void Corral_init_argv_always_gives_a_command_or_a_message() =>
        Check(args => Outcome(CorralInitArgs.Read(args, noEnv, "0.1.0")));

    [Fact]
    public void Supervisord_argv_always_gives_a_request_or_a_message() =>
        Check(args => Outcome(SupervisordArgs.Read(args, "0.1.0")));

    [Fact]
    public void Every_verb_argv_always_gives_a_request_or_a_message() =>
        Check(args =>
        {
            Outcome(RunArgs.Read(args, check: false));
            Outcome(RunArgs.Read(args, check: true));
            Outcome(ExecArgs.Read(args));
            Outcome(CtlArgs.Read(args));
            Outcome(HealthcheckArgs.Read(args));
        });

    static void Outcome(ArgvOutcome outcome)
    {
        switch (outcome)
        {
            case RunInit run: Assert.NotEmpty(run.Spec.Command); break;
            case PrintAndExit print: Assert.True(print.Code is >= 0 and <= 255 && print.Stdout.Length + print.Stderr.Length > 0, $"exit {print.Code} with nothing said"); break;
            default: Assert.Fail($"unknown outcome {outcome}"); break;
        }
    }

    static void Outcome<T>(ArgvOutcome<T> outcome) where T : class
    {
        Assert.True((outcome.Spec is null) != (outcome.Message is null), "a spec or a message, exactly one");
        if (outcome.Message is { } m) Assert.True(m.Code is >= 0 and <= 255 && (m.Code == 0 || m.Stderr.Length + m.Stdout.Length > 0), $"exit {m.Code} with nothing said");
    }
}
