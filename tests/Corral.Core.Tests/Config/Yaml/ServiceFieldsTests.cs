using Corral.Core.Model;
using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Yaml.YamlTestHelpers;

namespace Corral.Core.Tests.Config.Yaml;

/// <summary>What runs and when: command, shell, type, depends_on, restart and its limits, stop.</summary>
public sealed class ServiceFieldsTests
{
    static ServiceSpec WithCommand(string command) => Clean($"services:\n  web:\n    {command}\n").Services.Single();

    static string CommandProblem(string lines) => Assert.Single(Problems($"services:\n  web:\n    {lines}\n"));

    [Fact]
    public void A_list_command_is_the_argv_as_written()
    {
        var web = WithCommand("command: [nginx, -g, 'daemon off;', 8080, '']");
        Assert.Equal<string>(["nginx", "-g", "daemon off;", "8080", ""], web.Command);
        Assert.False(web.Shell);
    }

    [Fact]
    public void A_string_command_is_split_like_a_shell_without_expansion()
    {
        var web = WithCommand("command: nginx -g 'daemon off;' \"$HOME\"");
        Assert.Equal<string>(["nginx", "-g", "daemon off;", "$HOME"], web.Command);
    }

    [Fact]
    public void A_string_command_with_unquoted_shell_syntax_warns_that_no_shell_runs_it()
    {
        var (config, diagnostics) = Read("services:\n  web:\n    command: app | tee log\n");
        Assert.Equal<string>(["app", "|", "tee", "log"], config!.Services[0].Command);
        var d = Assert.Single(diagnostics);
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("corral.yaml:3: warning: services.web.command: '|' reaches the program as it is written, no shell interprets it; add 'shell: true' to run the command with /bin/sh -c", d.ToString());
    }

    [Fact]
    public void A_string_command_with_an_unterminated_quote_is_an_error()
    {
        Assert.Equal("corral.yaml:3: services.web.command: unterminated single quote at character 6", CommandProblem("command: echo 'hi"));
    }

    [Fact]
    public void With_shell_the_command_string_is_kept_whole_for_sh_c()
    {
        var web = Clean("services:\n  web:\n    shell: true\n    command: |\n      echo $HOME | tr a-z A-Z\n").Services.Single();
        Assert.True(web.Shell);
        Assert.Equal<string>(["echo $HOME | tr a-z A-Z\n"], web.Command);
    }

    [Fact]
    public void Shell_false_is_the_same_as_no_shell()
    {
        var web = WithCommand("shell: false\n    command: a b");
        Assert.False(web.Shell);
        Assert.Equal<string>(["a", "b"], web.Command);
    }

    [Fact]
    public void With_shell_a_list_command_is_an_error()
    {
        Assert.Equal("corral.yaml:4: services.web.command: with 'shell: true' the command must be one string, the script for /bin/sh -c",
            CommandProblem("shell: true\n    command: [a, b]"));
    }

    [Theory]
    [InlineData("command: {a: b}", "corral.yaml:3: services.web.command: expected a list of arguments or a command string, got a mapping")]
    [InlineData("command:", "corral.yaml:3: services.web.command: expected a string, got no value")]
    [InlineData("command: [a, [b]]", "corral.yaml:3: services.web.command[1]: expected an argument string, got a list")]
    [InlineData("command: [a, ~]", "corral.yaml:3: services.web.command[1]: expected an argument string, got no value")]
    [InlineData("shell: yes\n    command: a", "corral.yaml:3: services.web.shell: write true or false, not 'yes' (YAML 1.2 has no other booleans)")]
    [InlineData("restart: never", "corral.yaml:2: services.web.command: missing 'command:' (a list of arguments, or a string split into words like a shell would)")]
    public void A_missing_or_malformed_command_is_an_error(string lines, string problem)
    {
        Assert.Equal(problem, CommandProblem(lines));
    }

    [Theory]
    [InlineData("longrun", ServiceType.Longrun)]
    [InlineData("oneshot", ServiceType.Oneshot)]
    public void Type_is_longrun_or_oneshot(string value, ServiceType expected)
    {
        Assert.Equal(expected, Web($"type: {value}").Type);
    }

    [Fact]
    public void A_list_of_dependencies_means_condition_started_at_each_names_line()
    {
        var web = Web("depends_on:\n  - db\n  - cache");
        Assert.Equal(
            [
                new Dependency("db", DependencyCondition.Started, new("corral.yaml", 5, 9)),
                new Dependency("cache", DependencyCondition.Started, new("corral.yaml", 6, 9)),
            ],
            web.DependsOn.ToArray());
    }

    [Theory]
    [InlineData("started", DependencyCondition.Started)]
    [InlineData("ready", DependencyCondition.Ready)]
    [InlineData("healthy", DependencyCondition.Healthy)]
    [InlineData("completed", DependencyCondition.Completed)]
    [InlineData("completed_successfully", DependencyCondition.CompletedSuccessfully)]
    [InlineData("service_started", DependencyCondition.Started)]
    [InlineData("service_healthy", DependencyCondition.Healthy)]
    [InlineData("service_completed_successfully", DependencyCondition.CompletedSuccessfully)]
    public void A_mapping_of_dependencies_takes_composes_conditions(string condition, DependencyCondition expected)
    {
        var d = Assert.Single(Web($"depends_on:\n  db:\n    condition: {condition}").DependsOn);
        Assert.Equal(new Dependency("db", expected, new("corral.yaml", 5, 7)), d);
    }

    [Fact]
    public void A_dependency_without_settings_or_condition_means_started()
    {
        Assert.Equal(
            [DependencyCondition.Started, DependencyCondition.Started],
            Web("depends_on:\n  db:\n  cache: {}").DependsOn.Select(d => d.Condition));
    }

    [Theory]
    [InlineData("depends_on: db", "corral.yaml:4: services.web.depends_on: expected a list of service names, or a mapping of names to {condition: …}, got 'db'")]
    [InlineData("depends_on: [db, [x]]", "corral.yaml:4: services.web.depends_on[1]: expected a service name, got a list")]
    [InlineData("depends_on:\n  db:\n    condition: up", "corral.yaml:6: services.web.depends_on.db.condition: unknown value 'up' (started, ready, healthy, completed, completed_successfully)")]
    [InlineData("depends_on:\n  db:\n    restart: true", "corral.yaml:6: services.web.depends_on.db.restart: unknown key 'restart' (allowed: condition)")]
    [InlineData("depends_on:\n  db: started", "corral.yaml:5: services.web.depends_on.db: expected a mapping such as {condition: completed_successfully}, got 'started'")]
    public void A_malformed_dependency_is_an_error(string lines, string problem)
    {
        Assert.Equal(problem, WebProblem(lines));
    }

    [Theory]
    [InlineData("always", RestartPolicy.Always)]
    [InlineData("on-failure", RestartPolicy.OnFailure)]
    [InlineData("never", RestartPolicy.Never)]
    [InlineData("no", RestartPolicy.Never)]
    [InlineData("\"no\"", RestartPolicy.Never)]
    [InlineData("unless-stopped", RestartPolicy.Always)]
    public void Restart_takes_corrals_and_composes_policies(string value, RestartPolicy expected)
    {
        Assert.Equal(expected, Web($"restart: {value}").Restart);
    }

    [Fact]
    public void Backoff_settings_replace_the_defaults_one_by_one()
    {
        Assert.Equal(new Backoff(TimeSpan.FromMilliseconds(250), 1.5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)),
            Web("backoff: {initial: 250ms, factor: 1.5, reset_after: 5m}").Backoff);
        Assert.Equal(new Backoff(TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(60)),
            Web("backoff:\n  initial: 1\n  max: 2m").Backoff);
    }

    [Theory]
    [InlineData("backoff: 1s", "corral.yaml:4: services.web.backoff: expected a mapping with initial, factor, max, reset_after, got '1s'")]
    [InlineData("backoff: {factor: 0.5}", "corral.yaml:4: services.web.backoff.factor: expected a number of at least 1, got '0.5'")]
    [InlineData("backoff: {initial: 0s}", "corral.yaml:4: services.web.backoff.initial: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0s'")]
    [InlineData("backoff: {initial: 1m, max: 10s}", "corral.yaml:4: services.web.backoff: initial (60s) is longer than max (10s)")]
    [InlineData("backoff: {inital: 1s}", "corral.yaml:4: services.web.backoff.inital: unknown key 'inital'; did you mean 'initial'? (allowed: initial, factor, max, reset_after)")]
    [InlineData("backoff: {reset_after: later}", "corral.yaml:4: services.web.backoff.reset_after: expected a duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got 'later'")]
    public void A_bad_backoff_is_an_error(string line, string problem)
    {
        Assert.Equal(problem, WebProblem(line));
    }

    [Fact]
    public void Restart_limits_are_read()
    {
        var web = Web("max_restarts: 5\nrestart_window: 2m\nsuccess_exit_codes: [0, 143, \"3\"]\non_failure: stop-dependents\nmain: true");
        Assert.Equal(5, web.MaxRestarts);
        Assert.Equal(TimeSpan.FromMinutes(2), web.RestartWindow);
        Assert.Equal([0, 3, 143], web.SuccessExitCodes.Order());
        Assert.Equal(FailureAction.StopDependents, web.OnFailure);
        Assert.True(web.Main);
    }

    [Theory]
    [InlineData("ignore", FailureAction.Ignore)]
    [InlineData("stop-dependents", FailureAction.StopDependents)]
    [InlineData("shutdown", FailureAction.Shutdown)]
    public void On_failure_takes_an_action(string value, FailureAction expected)
    {
        Assert.Equal(expected, Web($"on_failure: {value}").OnFailure);
    }

    [Fact]
    public void Max_restarts_of_zero_means_never_restart_within_the_window()
    {
        Assert.Equal(0, Web("max_restarts: 0").MaxRestarts);
    }

    [Theory]
    [InlineData("restart: sometimes", "corral.yaml:4: services.web.restart: unknown value 'sometimes' (always, on-failure, never)")]
    [InlineData("max_restarts: many", "corral.yaml:4: services.web.max_restarts: expected an integer from 0 to 2147483647, got 'many'")]
    [InlineData("max_restarts: [1]", "corral.yaml:4: services.web.max_restarts: expected an integer, got a list")]
    [InlineData("restart_window: 0", "corral.yaml:4: services.web.restart_window: expected a positive duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '0'")]
    [InlineData("success_exit_codes: 0", "corral.yaml:4: services.web.success_exit_codes: expected a list of exit codes such as [0, 143], got '0'")]
    [InlineData("success_exit_codes: [0, 256]", "corral.yaml:4: services.web.success_exit_codes[1]: expected an integer from 0 to 255, got '256'")]
    [InlineData("on_failure: panic", "corral.yaml:4: services.web.on_failure: unknown value 'panic' (ignore, stop-dependents, shutdown)")]
    [InlineData("main: 1", "corral.yaml:4: services.web.main: expected true or false, got '1'")]
    [InlineData("type: daemon", "corral.yaml:4: services.web.type: unknown value 'daemon' (longrun, oneshot)")]
    public void A_bad_restart_setting_is_an_error(string line, string problem)
    {
        Assert.Equal(problem, WebProblem(line));
    }

    [Theory]
    [InlineData("stop: {signal: QUIT, timeout: 30s}", Signals.SIGQUIT, 30)]
    [InlineData("stop: {signal: SIGINT}", Signals.SIGINT, 10)]
    [InlineData("stop: {signal: 10}", Signals.SIGUSR1, 10)]
    [InlineData("stop: {timeout: 2}", Signals.SIGTERM, 2)]
    public void Stop_takes_a_signal_by_name_or_number_and_a_timeout(string line, int signal, int seconds)
    {
        Assert.Equal(new StopSpec(signal, TimeSpan.FromSeconds(seconds)), Web(line).Stop);
    }

    [Theory]
    [InlineData("stop: {signal: TREM}", "corral.yaml:4: services.web.stop.signal: unknown signal 'TREM' (a name such as TERM, SIGINT, QUIT, or a number from 1 to 64)")]
    [InlineData("stop: {signal: 99}", "corral.yaml:4: services.web.stop.signal: unknown signal '99' (a name such as TERM, SIGINT, QUIT, or a number from 1 to 64)")]
    [InlineData("stop: {timeout: forever}", "corral.yaml:4: services.web.stop.timeout: expected a duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got 'forever'")]
    [InlineData("stop: TERM", "corral.yaml:4: services.web.stop: expected a mapping with signal and timeout, got 'TERM'")]
    [InlineData("stop: {grace: 1s}", "corral.yaml:4: services.web.stop.grace: unknown key 'grace' (allowed: signal, timeout)")]
    public void A_bad_stop_setting_is_an_error(string line, string problem)
    {
        Assert.Equal(problem, WebProblem(line));
    }
}
