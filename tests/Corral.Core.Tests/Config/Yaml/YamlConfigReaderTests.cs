using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Yaml.YamlTestHelpers;

namespace Corral.Core.Tests.Config.Yaml;

/// <summary>The file as a whole: top-level keys, YAML errors, and how problems are reported.</summary>
public sealed class YamlConfigReaderTests
{
    [Fact]
    public void A_minimal_config_gets_every_default()
    {
        var config = Clean("services:\n  web:\n    command: [nginx]\n");
        Assert.Equal(TimeSpan.FromSeconds(9), config.ShutdownTimeout);
        Assert.Equal(LogFormat.Text, config.LogFormat);
        Assert.Equal(ColorMode.Auto, config.Color);
        Assert.Equal("corral.yaml", config.Source);
        var web = Assert.Single(config.Services);
        Assert.Equal("web", web.Name);
        Assert.Equal<string>(["nginx"], web.Command);
        Assert.False(web.Shell);
        Assert.Equal(ServiceType.Longrun, web.Type);
        Assert.Empty(web.DependsOn);
        Assert.Null(web.Restart);
        Assert.Equal(Backoff.Default, web.Backoff);
        Assert.Null(web.MaxRestarts);
        Assert.Equal(TimeSpan.FromSeconds(60), web.RestartWindow);
        Assert.Equal([0], web.SuccessExitCodes);
        Assert.Equal(FailureAction.Ignore, web.OnFailure);
        Assert.False(web.Main);
        Assert.Equal(StopSpec.Default, web.Stop);
        Assert.Null(web.User);
        Assert.Null(web.Group);
        Assert.Null(web.WorkingDir);
        Assert.Null(web.Umask);
        Assert.Empty(web.Limits);
        Assert.Empty(web.Environment);
        Assert.Empty(web.EnvFiles);
        Assert.True(web.InheritEnv);
        Assert.Equal(LogSpec.Default, web.Logs);
    }

    [Fact]
    public void Services_keep_the_order_they_are_written_in_and_each_knows_where_its_key_is()
    {
        var config = Clean("""
            services:
              zeta:
                command: [z]
              alpha:
                command: [a]
            """);
        Assert.Equal(["zeta", "alpha"], config.Services.Select(s => s.Name));
        Assert.Equal(new SourceLocation("corral.yaml", 2, 3), config.Services[0].Where);
        Assert.Equal(new SourceLocation("corral.yaml", 4, 3), config.Services[1].Where);
    }

    [Fact]
    public void Top_level_settings_are_read()
    {
        var config = Clean("shutdown_timeout: 1m30s\nlog_format: json\ncolor: never\nservices:\n  a:\n    command: [a]\n");
        Assert.Equal(TimeSpan.FromSeconds(90), config.ShutdownTimeout);
        Assert.Equal(LogFormat.Json, config.LogFormat);
        Assert.Equal(ColorMode.Never, config.Color);
    }

    [Theory]
    [InlineData("auto", ColorMode.Auto)]
    [InlineData("always", ColorMode.Always)]
    [InlineData("never", ColorMode.Never)]
    [InlineData("true", ColorMode.Always)]
    [InlineData("false", ColorMode.Never)]
    [InlineData("ALWAYS", ColorMode.Always)]
    public void Color_takes_a_mode_or_a_boolean(string value, ColorMode expected)
    {
        Assert.Equal(expected, Clean($"color: {value}\nservices:\n  a:\n    command: [a]\n").Color);
    }

    [Theory]
    [InlineData("shutdown_timeout: soon", "corral.yaml:1: shutdown_timeout: expected a duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got 'soon'")]
    [InlineData("log_format: xml", "corral.yaml:1: log_format: unknown value 'xml' (text, json)")]
    [InlineData("color: maybe", "corral.yaml:1: color: unknown value 'maybe' (auto, always, never)")]
    [InlineData("version: '3'", "corral.yaml:1: version: unknown key 'version' (allowed: services, shutdown_timeout, log_format, color, control)")]
    [InlineData("servics: {}", "corral.yaml:1: servics: unknown key 'servics'; did you mean 'services'? (allowed: services, shutdown_timeout, log_format, color, control)")]
    public void A_bad_top_level_setting_names_its_line_and_field(string line, string problem)
    {
        var problems = Problems(line + "\nservices:\n  a:\n    command: [a]\n");
        Assert.Equal(problem, Assert.Single(problems));
    }

    [Fact]
    public void Extension_keys_starting_with_x_hold_anchors_that_services_merge()
    {
        var config = Clean("""
            x-defaults: &defaults
              restart: on-failure
              environment: {LANG: C.UTF-8}
            services:
              a:
                <<: *defaults
                command: [a]
              b:
                <<: *defaults
                command: [b]
                restart: never
            """);
        Assert.Equal(RestartPolicy.OnFailure, config.Services[0].Restart);
        Assert.Equal([new("LANG", "C.UTF-8")], config.Services[0].Environment.ToArray());
        Assert.Equal(RestartPolicy.Never, config.Services[1].Restart);
    }

    [Fact]
    public void A_yaml_syntax_error_is_a_diagnostic_with_its_line_not_an_exception()
    {
        var (config, diagnostics) = Read("services:\n  web:\n    command: [app\n    restart: never\n");
        Assert.Null(config);
        var d = Assert.Single(diagnostics);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal("corral.yaml", d.Where.File);
        Assert.InRange(d.Where.Line, 3, 5);
        Assert.StartsWith("YAML syntax error: ", d.Message);
        Assert.DoesNotContain("Idx:", d.Message);
    }

    [Fact]
    public void A_tab_used_for_indentation_is_a_syntax_error_on_its_line()
    {
        var d = Assert.Single(Read("services:\n  web:\n\tcommand: [app]\n").Diagnostics);
        Assert.Equal(3, d.Where.Line);
        Assert.StartsWith("YAML syntax error", d.Message);
    }

    [Fact]
    public void A_key_written_twice_is_an_error_on_the_second_one()
    {
        var d = Assert.Single(Read("services:\n  web:\n    command: [a]\n  web:\n    command: [b]\n").Diagnostics);
        Assert.Equal(4, d.Where.Line);
        Assert.Contains("uplicate key", d.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void An_empty_file_is_an_error(string text)
    {
        Assert.Equal(["corral.yaml:1: the file is empty; it needs a 'services:' mapping"], Problems(text));
    }

    [Fact]
    public void Several_documents_are_an_error()
    {
        Assert.Equal(["corral.yaml:5: expected one YAML document, found several (remove the second '---')"],
            Problems("services:\n  a:\n    command: [a]\n---\nservices: {}\n"));
    }

    [Theory]
    [InlineData("- a\n- b\n", "corral.yaml:1: expected a mapping with a 'services:' key at the top, got a list")]
    [InlineData("hello\n", "corral.yaml:1: expected a mapping with a 'services:' key at the top, got 'hello'")]
    [InlineData("color: auto\n", "corral.yaml:1: services: missing 'services:', the mapping of service names to their settings")]
    [InlineData("services:\n", "corral.yaml:1: services: expected a mapping of service names to their settings, got no value")]
    [InlineData("services: {}\n", "corral.yaml:1: services: no services defined")]
    [InlineData("services: [a, b]\n", "corral.yaml:1: services: expected a mapping of service names to their settings, got a list")]
    public void The_top_must_be_a_mapping_with_services(string text, string problem)
    {
        Assert.Equal([problem], Problems(text));
    }

    [Theory]
    [InlineData("-web")]
    [InlineData("my web")]
    [InlineData("web/1")]
    [InlineData("_web")]
    public void A_service_name_must_start_with_a_letter_or_digit_and_use_only_safe_characters(string name)
    {
        var problem = Assert.Single(Problems($"services:\n  \"{name}\":\n    command: [a]\n"));
        Assert.Equal($"corral.yaml:2: services.{name}: '{name}' is not a valid service name (a letter or digit, then letters, digits, '_', '.', '-')", problem);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("9lives")]
    [InlineData("api.v2_x-y")]
    public void A_valid_service_name_is_accepted(string name)
    {
        Assert.Equal(name, Clean($"services:\n  {name}:\n    command: [a]\n").Services.Single().Name);
    }

    [Fact]
    public void A_service_without_settings_is_an_error()
    {
        Assert.Equal(["corral.yaml:2: services.web: expected a mapping of settings (at least 'command:'), got no value"], Problems("services:\n  web:\n"));
    }

    [Fact]
    public void All_problems_are_collected_not_only_the_first()
    {
        var problems = Problems("""
            log_format: xml
            services:
              web:
                command: [app]
                restart: sometimes
                max_restarts: -1
                colour: red
              db:
                type: daemon
            """);
        Assert.Equal(
            [
                "corral.yaml:1: log_format: unknown value 'xml' (text, json)",
                "corral.yaml:5: services.web.restart: unknown value 'sometimes' (always, on-failure, never)",
                "corral.yaml:6: services.web.max_restarts: expected an integer from 0 to 2147483647, got '-1'",
                "corral.yaml:7: services.web.colour: unknown key 'colour' (allowed: command, shell, type, depends_on, restart, backoff, max_restarts, restart_window, success_exit_codes, on_failure, main, stop, user, group, working_dir, umask, rlimits, environment, env_file, inherit_env, logs, ready, ready_timeout, watchdog, startup_probe, readiness_probe, liveness_probe, groups, replicas)",
                "corral.yaml:9: services.db.type: unknown value 'daemon' (longrun, oneshot)",
                "corral.yaml:8: services.db.command: missing 'command:' (a list of arguments, or a string split into words like a shell would)",
            ],
            problems);
    }

    [Fact]
    public void Diagnostics_carry_the_column_too()
    {
        var d = Assert.Single(Read(WebYaml("restart: sometimes")).Diagnostics);
        Assert.Equal(new SourceLocation("corral.yaml", 4, 14), d.Where);
        Assert.Equal("services.web.restart", d.Field);
    }

    [Fact]
    public void Warnings_alone_do_not_refuse_the_config()
    {
        var (config, diagnostics) = Read(WebYaml("environment: [DEBUG]"));
        Assert.NotNull(config);
        Assert.Equal(Severity.Warning, Assert.Single(diagnostics).Severity);
    }
}
