using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config.Yaml;

/// <summary>The file as check, run and reload see it: variables replaced, then every problem at once, in file order.</summary>
public sealed class YamlConfigLoaderTests
{
    static readonly Dictionary<string, string> env = new() { ["DELAY"] = "2s", ["APP"] = "server" };

    static LoadedConfig Load(string yaml) => YamlConfigLoader.Load(yaml, "corral.yaml", env);

    static string[] Lines(string yaml) => [.. Load(yaml).Diagnostics.Select(d => d.ToString())];

    [Fact]
    public void Type_errors_unknown_dependencies_and_cycles_are_all_reported_in_one_run_in_line_order()
    {
        var lines = Lines("""
            services:
              a:
                command: x
                depends_on: [b]
              b:
                command: x
                restart: sometimes
                depends_on: [a]
              c:
                command: x
                depends_on: [nope]
            """);
        Assert.Equal(
        [
            "corral.yaml:7: services.b.restart: unknown value 'sometimes' (always, on-failure, never)",
            "corral.yaml:8: services.b.depends_on: dependency cycle: a -> b -> a",
            "corral.yaml:11: services.c.depends_on: 'c' depends on 'nope', which is not a service (services: a, b, c)",
        ], lines);
    }

    [Fact]
    public void A_service_with_errors_is_not_judged_again_by_the_plan_and_its_name_is_known()
    {
        var lines = Lines("""
            services:
              db:
                restart: sometimes
              bad name:
                command: x
              web:
                command: x
                depends_on: {db: {condition: ready}, bad name: {}}
            """);
        Assert.Equal(
        [
            "corral.yaml:2: services.db.command: missing 'command:' (a list of arguments, or a string split into words like a shell would)",
            "corral.yaml:3: services.db.restart: unknown value 'sometimes' (always, on-failure, never)",
            "corral.yaml:4: services.bad name: 'bad name' is not a valid service name (a letter or digit, then letters, digits, '_', '.', '-')",
        ], lines);
        Assert.Null(Load("services:\n  db:\n    restart: sometimes\n").Plan);
    }

    [Fact]
    public void A_syntax_error_is_alone()
    {
        var d = Assert.Single(Load("services:\n  web:\n    command: [x\n    restart: sometimes\n").Diagnostics);
        Assert.StartsWith("YAML syntax error", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_are_replaced_before_values_are_typed()
    {
        var loaded = Load("services:\n  web:\n    command: ${APP} --port ${PORT:-8080}\n    stop:\n      timeout: ${DELAY:-1s}\n");
        Assert.Empty(loaded.Diagnostics);
        var web = Assert.Single(loaded.Plan!.Config.Services);
        Assert.Equal<string>(["server", "--port", "8080"], web.Command);
        Assert.Equal(TimeSpan.FromSeconds(2), web.Stop.Timeout);
    }

    [Fact]
    public void An_unset_variable_is_a_warning_at_its_line_and_field_and_the_config_still_loads()
    {
        var loaded = Load("services:\n  web:\n    command: [sh, -c, 'echo $HOSTNAME', $HOSTNAME]\n");
        Assert.NotNull(loaded.Plan);
        Assert.Equal(2, loaded.Diagnostics.Length);
        var d = loaded.Diagnostics[0];
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.StartsWith("corral.yaml:3: warning: services.web.command[2]: $HOSTNAME is not set", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("$$HOSTNAME", d.Message, StringComparison.Ordinal);
        Assert.Equal<string>(["sh", "-c", "echo ", ""], loaded.Plan!.Config.Services.Single().Command);
    }

    [Fact]
    public void A_required_variable_is_an_error_and_two_dollars_are_one()
    {
        var loaded = Load("services:\n  web:\n    shell: true\n    command: \"echo $$HOME ${TOKEN:?the API token}\"\n");
        Assert.Null(loaded.Plan);
        Assert.Equal("corral.yaml:4: services.web.command: $TOKEN is required and is not set: the API token", Assert.Single(loaded.Diagnostics).ToString());
        var ok = YamlConfigLoader.Load("services:\n  web:\n    shell: true\n    command: \"echo $$HOME\"\n", "corral.yaml", new Dictionary<string, string>());
        Assert.Equal<string>(["echo $HOME"], Assert.Single(ok.Plan!.Config.Services).Command);
    }

    [Fact]
    public void Keys_are_not_interpolated_and_an_anchor_is_replaced_once()
    {
        var loaded = Load("x-cmd: &cmd [echo, $$APP]\nservices:\n  $web:\n    command: *cmd\n");
        Assert.Contains(loaded.Diagnostics, d => d.Message.Contains("'$web' is not a valid service name", StringComparison.Ordinal));
        var again = Load("x-cmd: &cmd [echo, $$APP]\nservices:\n  web:\n    command: *cmd\n");
        Assert.Equal<string>(["echo", "$APP"], Assert.Single(again.Plan!.Config.Services).Command);
    }

    [Fact]
    public void A_missing_required_variable_is_one_error_and_its_service_is_not_judged_again()
    {
        var loaded = Load("services:\n  web:\n    command: ${CMD:?the program}\n    stop: {timeout: \"${T:?}\"}\n");
        Assert.Equal(
        [
            "corral.yaml:3: services.web.command: $CMD is required and is not set: the program",
            "corral.yaml:4: services.web.stop.timeout: $T is required and is not set",
        ], loaded.Diagnostics.Select(d => d.ToString()));
    }
}
