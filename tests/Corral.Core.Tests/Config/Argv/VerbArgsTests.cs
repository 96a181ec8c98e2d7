using Corral.Core.Config.Argv;

namespace Corral.Core.Tests.Config.Argv;

/// <summary>run, check, healthcheck and ctl read their options with the one grammar.</summary>
public sealed class VerbArgsTests
{
    static RunRequest Run(params string[] args)
    {
        var outcome = RunArgs.Read(args, check: false);
        Assert.Null(outcome.Message);
        return outcome.Spec!;
    }

    static PrintAndExit RunFails(bool check, params string[] args)
    {
        var outcome = RunArgs.Read(args, check);
        Assert.Null(outcome.Spec);
        return outcome.Message!;
    }

    static CtlRequest Ctl(params string[] args)
    {
        var outcome = CtlArgs.Read(args);
        Assert.Null(outcome.Message);
        return outcome.Spec!;
    }

    static PrintAndExit CtlFails(params string[] args)
    {
        var outcome = CtlArgs.Read(args);
        Assert.Null(outcome.Spec);
        return outcome.Message!;
    }

    [Theory]
    [InlineData("-c", "x.yaml")]
    [InlineData("-cx.yaml")]
    [InlineData("--config", "x.yaml")]
    [InlineData("--config=x.yaml")]
    public void Run_takes_the_config_in_every_spelling(params string[] args)
    {
        Assert.Equal(new RunRequest("x.yaml", false, 1), Run(args));
        var check = RunArgs.Read(args, check: true);
        Assert.Equal("x.yaml", check.Spec!.ConfigFile);
    }

    [Fact]
    public void Run_reads_dry_run_and_verbosity_in_any_order()
    {
        Assert.Equal(new RunRequest("c.yaml", true, 3), Run("-vv", "--dry-run", "-c", "c.yaml"));
        Assert.Equal(new RunRequest(null, false, 0), Run("-v", "-q"));
        Assert.Equal(new RunRequest(null, false, 2), Run("-qvv"));
        Assert.Equal(new RunRequest(null, false, 1), Run());
    }

    [Fact]
    public void Run_refuses_mistakes_with_code_2_naming_the_verb()
    {
        var unknown = RunFails(false, "--dryrun");
        Assert.Equal(2, unknown.Code);
        Assert.StartsWith("corral run: unknown option '--dryrun'; did you mean '--dry-run'?\n\nUsage: corral run", unknown.Stderr);
        Assert.StartsWith("corral run: option '-c' needs a value (FILE)\n", RunFails(false, "-c").Stderr);
        Assert.StartsWith("corral run: option '--dry-run' takes no value\n", RunFails(false, "--dry-run=yes").Stderr);
        Assert.StartsWith("corral run: unexpected argument 'corral.yaml' (the config is given with -c FILE)\n", RunFails(false, "corral.yaml").Stderr);
        // check has no --dry-run of its own.
        Assert.StartsWith("corral check: unknown option '--dry-run'\n\nUsage: corral check", RunFails(true, "--dry-run").Stderr);
    }

    [Fact]
    public void Run_and_check_help_list_their_options_from_the_table()
    {
        var run = RunFails(false, "-h");
        Assert.Equal(0, run.Code);
        Assert.Contains("  -c, --config FILE", run.Stdout);
        Assert.Contains("--dry-run", run.Stdout);
        var check = RunFails(true, "--help");
        Assert.Contains("  -c, --config FILE", check.Stdout);
        Assert.DoesNotContain("--dry-run", check.Stdout);
    }

    [Theory]
    [InlineData("--run-dir", "/r", "web", "db")]
    [InlineData("web", "--run-dir=/r", "db")]
    [InlineData("web", "db", "--run-dir", "/r")]
    public void Healthcheck_reads_its_run_directory_anywhere_among_the_names(params string[] args)
    {
        var outcome = HealthcheckArgs.Read(args);
        Assert.Equal("/r", outcome.Spec!.RunDirectory);
        Assert.Equal(["web", "db"], outcome.Spec.Names);
    }

    [Fact]
    public void Healthcheck_refuses_an_unknown_option_with_code_2()
    {
        var outcome = HealthcheckArgs.Read(["--rundir", "/r"]);
        Assert.Equal(2, outcome.Message!.Code);
        Assert.StartsWith("corral healthcheck: unknown option '--rundir'; did you mean '--run-dir'?\n", outcome.Message.Stderr);
        Assert.Null(HealthcheckArgs.Read([]).Spec!.RunDirectory);
    }

    [Theory]
    [InlineData("wait", "db", "--timeout", "5")]
    [InlineData("wait", "db", "--timeout=5")]
    [InlineData("wait", "db", "-t", "5")]
    [InlineData("wait", "-t5", "db")]
    [InlineData("wait", "--timeout", "5s", "db")]
    public void Ctl_wait_takes_its_timeout_in_every_spelling(params string[] args)
    {
        var r = Ctl(args);
        Assert.Equal(TimeSpan.FromSeconds(5), r.TimeoutLimit);
        Assert.Equal(["db"], r.Names);
    }

    [Fact]
    public void Ctl_wait_reads_the_condition_and_keeps_the_timeout_as_given_for_the_server()
    {
        var r = Ctl("wait", "a", "--running", "b", "--healthy", "--timeout", "1m30s");
        Assert.Equal("healthy", r.Condition);
        Assert.Equal("1m30s", r.Timeout);
        Assert.Equal(["a", "b"], r.Names);
        var d = Ctl("wait");
        Assert.Equal(("ready", "30s"), (d.Condition, d.Timeout));
    }

    [Theory]
    [InlineData("logs", "-n5")]
    [InlineData("logs", "-n", "5")]
    [InlineData("logs", "--lines=5")]
    [InlineData("logs", "--lines", "5")]
    public void Ctl_logs_takes_its_count_in_every_spelling(params string[] args)
    {
        Assert.Equal(5, Ctl(args).Lines);
    }

    [Fact]
    public void Ctl_logs_bundles_follow_with_the_count()
    {
        var r = Ctl("logs", "-fn5", "web", "--json");
        Assert.True(r.Follow);
        Assert.True(r.Json);
        Assert.Equal(5, r.Lines);
        Assert.Equal(["web"], r.Names);
        Assert.Equal(100, Ctl("logs").Lines);
        Assert.True(Ctl("logs", "--reopen").Reopen);
        Assert.False(Ctl("logs").Reopen);
    }

    [Fact]
    public void Ctl_connection_options_come_before_or_after_the_verb()
    {
        var before = Ctl("-s", "/x.sock", "--url=http://h:1", "--user", "a:b", "-c", "c.yaml", "status", "web");
        var after = Ctl("status", "web", "--socket=/x.sock", "--url", "http://h:1", "--user=a:b", "-cc.yaml");
        foreach (var r in new[] { before, after })
        {
            Assert.Equal(("/x.sock", "http://h:1", "a:b", "c.yaml"), (r.Socket, r.Url, r.User, r.Config));
            Assert.Equal("status", r.Verb);
            Assert.Equal(["web"], r.Names);
        }
    }

    [Fact]
    public void Ctl_signal_reads_the_signal_then_the_names()
    {
        var r = Ctl("signal", "HUP", "web", "db");
        Assert.Equal("HUP", r.Signal);
        Assert.Equal(["web", "db"], r.Names);
    }

    [Theory]
    [InlineData("corral ctl: missing verb")]
    [InlineData("corral ctl: unknown verb 'stauts'; did you mean 'status'?", "stauts")]
    [InlineData("corral ctl: unknown option '--sock'; did you mean '--socket'?", "--sock", "/x", "status")]
    [InlineData("corral ctl wait: unknown option '--timout'; did you mean '--timeout'?", "wait", "db", "--timout", "5s")]
    [InlineData("corral ctl wait: option '--timeout' needs a value (D)", "wait", "db", "--timeout")]
    [InlineData("corral ctl: wait: --timeout wants a duration such as 10s, not 'soon'", "wait", "--timeout=soon")]
    [InlineData("corral ctl logs: unknown option '-x' (in '-fx')", "logs", "-fx")]
    [InlineData("corral ctl: logs: -n wants a number of lines, not 'many'", "logs", "-n", "many")]
    [InlineData("corral ctl status: option '--json' takes no value", "status", "--json=1")]
    [InlineData("corral ctl status: unknown option '--follow'", "status", "--follow")]
    [InlineData("corral ctl: stop: name at least one service, or all", "stop")]
    [InlineData("corral ctl: signal: give a signal and at least one service (or all)", "signal", "HUP")]
    [InlineData("corral ctl: signal: unknown signal 'SIGNOPE'", "signal", "SIGNOPE", "web")]
    [InlineData("corral ctl: reload: unexpected 'now'", "reload", "now")]
    [InlineData("corral ctl: logs --reopen reopens every log file: unexpected 'web'", "logs", "--reopen", "web")]
    [InlineData("corral ctl: logs: --reopen and --follow do not go together", "logs", "--reopen", "-f")]
    public void Ctl_mistakes_are_usage_errors_with_code_2(string message, params string[] args)
    {
        var failure = CtlFails(args);
        Assert.Equal(2, failure.Code);
        Assert.StartsWith(message + "\n\nUsage: corral ctl", failure.Stderr);
    }

    [Fact]
    public void Ctl_help_is_the_whole_usage_before_the_verb_and_the_verbs_own_after_it()
    {
        Assert.Equal(CtlArgs.Usage, CtlFails("--help").Stdout);
        Assert.Equal(CtlArgs.Usage, CtlFails("-s", "/x", "-h", "status").Stdout);
        var wait = CtlFails("wait", "db", "--help");
        Assert.Equal(0, wait.Code);
        Assert.Equal(CtlArgs.VerbUsage("wait"), wait.Stdout);
        Assert.StartsWith("Usage: corral ctl [OPTIONS] wait NAME...", wait.Stdout);
        Assert.Contains("  -t, --timeout D", wait.Stdout);
        Assert.Contains("  -s, --socket PATH", wait.Stdout);
    }

    [Fact]
    public void A_double_dash_lets_a_name_start_with_a_dash()
    {
        Assert.Equal(["-odd"], Ctl("stop", "--", "-odd").Names);
    }

    /// <summary>Command lines README.md and docs/*.md tell users to write: they all still read.</summary>
    [Theory]
    [InlineData("ctl", "wait", "db", "--ready", "--timeout", "60s")]
    [InlineData("ctl", "--url", "http://10.0.0.5:9100", "--user", "admin:secret", "status")]
    [InlineData("ctl", "logs", "-f", "app")]
    [InlineData("ctl", "restart", "web")]
    [InlineData("ctl", "stop", "worker")]
    [InlineData("ctl", "reload")]
    [InlineData("ctl", "status")]
    [InlineData("ctl", "signal", "HUP", "worker")]
    [InlineData("run", "-c", "corral.yaml", "--dry-run")]
    [InlineData("run", "-c", "examples/corral.yaml")]
    [InlineData("run")]
    [InlineData("check", "-c", "corral.yaml")]
    [InlineData("healthcheck", "backend")]
    [InlineData("healthcheck")]
    [InlineData("exec", "--user", "app", "--", "my-server")]
    [InlineData("exec", "-u", "nobody:nogroup", "--umask", "027", "--rlimit", "nofile=4096", "--", "worker")]
    [InlineData("exec", "--user", "65534:65534", "--", "/my-server")]
    [InlineData("-s", "-v", "--", "examples/demo.sh")]
    [InlineData("-s", "--", "/bin/true")]
    [InlineData("--", "corral", "exec", "--user", "app", "--", "my-server")]
    [InlineData("--grace", "5s", "--", "server")]
    public void Documented_command_lines_still_read(params string[] line)
    {
        var env = new Dictionary<string, string>();
        var rest = line[1..];
        var code = line[0] switch
        {
            "ctl" => CtlArgs.Read(rest).Message?.Code,
            "run" => RunArgs.Read(rest, check: false).Message?.Code,
            "check" => RunArgs.Read(rest, check: true).Message?.Code,
            "healthcheck" => HealthcheckArgs.Read(rest).Message?.Code,
            "exec" => ExecArgs.Read(rest).Message?.Code,
            _ => CorralInitArgs.Read(line, env, "0") is PrintAndExit p ? p.Code : null,
        };
        Assert.Null(code);
    }
}
