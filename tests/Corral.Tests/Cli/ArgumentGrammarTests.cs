using Corral.Tests.Control;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Cli;

/// <summary>
/// Every verb of the real binary reads its options with the one grammar: --opt VALUE,
/// --opt=VALUE, -o VALUE, -oVALUE, bundled flags, and the same usage errors (exit code 2).
/// </summary>
public class ArgumentGrammarTests
{
    static string Bin => CorralBinary.Path;

    const string OneService = """
        services:
          web:
            command: sh -c 'echo one; echo two; echo three; exec sleep 1000'
        """;

    [Theory]
    [InlineData("--config={0}")]
    [InlineData("--config", "{0}")]
    [InlineData("-c", "{0}")]
    [InlineData("-c{0}")]
    public void Run_and_check_take_the_config_in_every_spelling(params string[] spelling)
    {
        var dir = new ConfigDir(OneService);
        string[] config = [.. spelling.Select(s => string.Format(s, dir.Config))];
        var dry = Run.Exec(Bin, ["run", .. config, "--dry-run"]);
        Assert.Equal(0, dry.Code);
        Assert.Contains("1. web (longrun)", dry.Stdout);
        var check = Run.Exec(Bin, ["check", .. config]);
        Assert.Equal(0, check.Code);
        Assert.Contains($"{dir.Config}: ok, 1 service", check.Stdout);
    }

    [Theory]
    [InlineData("corral run: unknown option '--dryrun'; did you mean '--dry-run'?", "run", "--dryrun")]
    [InlineData("corral run: option '--config' needs a value (FILE)", "run", "--config")]
    [InlineData("corral check: option '--help' takes no value", "check", "--help=1")]
    [InlineData("corral healthcheck: unknown option '--rundir'; did you mean '--run-dir'?", "healthcheck", "--rundir", "/x")]
    [InlineData("corral exec: unknown option '--usr'; did you mean '--user'?", "exec", "--usr", "nobody", "--", "true")]
    [InlineData("corral ctl: unknown option '--sock'; did you mean '--socket'?", "ctl", "--sock", "/x", "status")]
    [InlineData("corral ctl wait: unknown option '--timout'; did you mean '--timeout'?", "ctl", "wait", "web", "--timout", "5")]
    [InlineData("corral ctl logs: option '-n' needs a value (N)", "ctl", "logs", "-fn")]
    [InlineData("corral ctl status: option '--json' takes no value", "ctl", "status", "--json=yes")]
    [InlineData("corral: unknown option '-x' (in '-sx')", "-sx", "--", "true")]
    [InlineData("corral version: unexpected 'now'", "version", "now")]
    public void A_mistake_in_any_verb_is_a_usage_error_naming_the_verb_and_the_option(string message, params string[] args)
    {
        // No Corral runs here: a usage error never depends on one.
        var nowhere = new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Directory.CreateTempSubdirectory("corral-none-").FullName };
        var r = Run.ExecWith(Bin, nowhere, args);
        Assert.Equal(2, r.Code);
        Assert.StartsWith(message + "\n", r.Stderr);
        Assert.Contains("Usage: corral", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Ctl_verbs_take_the_new_spellings_against_a_running_corral()
    {
        var dir = new ConfigDir(OneService);
        using var c = Controlled.Start(dir.Config);
        Assert.Equal(0, c.Ctl("wait", "--timeout", "5", "web").Code);
        Assert.Equal(0, c.Ctl("wait", "web", "--timeout=5s", "--running").Code);
        Assert.Equal(0, c.Ctl("wait", "-t5", "web").Code);
        Wait.Until(() => c.Ctl("logs", "web").Stdout.Contains("three"), null, "web's lines in the buffer");
        Assert.Equal("web | three", c.Ctl("logs", "-n1", "web").Stdout.Trim());
        Assert.Equal("web | three", c.Ctl("logs", "web", "--lines=1").Stdout.Trim());
        Assert.StartsWith("{", c.Ctl("logs", "-n1", "--json", "web").Stdout);
        // Where Corral is may also follow the verb.
        var status = Run.Exec(Bin, "ctl", "status", "web", $"--socket={c.Socket}");
        Assert.Equal(0, status.Code);
        Assert.Contains("web", status.Stdout);
        Assert.Equal(0, Run.Exec(Bin, "ctl", $"-s{c.Socket}", "status", "--json").Code);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Healthcheck_takes_its_run_directory_with_an_equals_sign_too()
    {
        var dir = new ConfigDir(OneService);
        using var c = Controlled.Start(dir.Config);
        c.WaitRunning("web");
        Wait.Until(() => Run.Exec(Bin, "healthcheck", $"--run-dir={c.RunDirectory}", "web").Code == 0, null, "healthy through --run-dir=");
        Assert.Equal(0, Run.Exec(Bin, "healthcheck", "web", "--run-dir", c.RunDirectory).Code);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Exec_and_the_init_take_attached_values_and_bundled_flags()
    {
        var workdir = Run.Exec(Bin, "exec", "-C/tmp", "pwd");
        Assert.Equal(0, workdir.Code);
        Assert.Equal("/tmp", workdir.Stdout.Trim());
        // -s and -w bundled, -e with its code attached: exit 3 is reported as 0.
        var init = Run.Exec(Bin, "-swe3", "--", "sh", "-c", "exit 3");
        Assert.Equal(0, init.Code);
        // After the command, options are the command's.
        var child = Run.Exec(Bin, "-s", "echo", "-e3");
        Assert.Equal("-e3", child.Stdout.Trim());
    }

    [Fact]
    public void Help_prints_each_verbs_options_from_its_table()
    {
        var wait = Run.Exec(Bin, "help", "ctl", "wait");
        Assert.Equal(0, wait.Code);
        Assert.StartsWith("Usage: corral ctl [OPTIONS] wait NAME...", wait.Stdout);
        Assert.Contains("-t, --timeout D", wait.Stdout);
        var run = Run.Exec(Bin, "help", "run");
        Assert.Equal(0, run.Code);
        Assert.Contains("-c, --config FILE", run.Stdout);
        Assert.Equal(run.Stdout, Run.Exec(Bin, "run", "--help").Stdout);
        var exec = Run.Exec(Bin, "help", "exec");
        Assert.Contains("-u, --user USER[:GROUP]", exec.Stdout);
        Assert.DoesNotContain("--report-fd", exec.Stdout);
        Assert.Equal(0, Run.Exec(Bin, "version", "--help").Code);
    }
}
