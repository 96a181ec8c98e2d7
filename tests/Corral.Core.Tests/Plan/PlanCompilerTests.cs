using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Tests.Planning;

public sealed class PlanCompilerTests
{
    static readonly SourceLocation Nowhere = SourceLocation.None;

    /// <summary>Services as "name: dep dep …" lines, each dependency condition started.</summary>
    static SupervisorConfig Graph(params string[] lines) => new()
    {
        Services = [.. lines.Select(line =>
        {
            var parts = line.Split(':');
            var deps = parts.Length > 1 ? parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            return new ServiceSpec
            {
                Name = parts[0].Trim(),
                Command = ["true"],
                DependsOn = [.. deps.Select(d => new Dependency(d, DependencyCondition.Started, Nowhere))],
            };
        })],
    };

    static Plan Compiled(SupervisorConfig config)
    {
        var (plan, diagnostics) = PlanCompiler.Compile(config);
        Assert.Empty(diagnostics);
        return Assert.IsType<Plan>(plan);
    }

    /// <summary>Reads YAML (which must be clean) and compiles it, for rules that report locations.</summary>
    static (Plan? Plan, string[] Diagnostics) FromYaml(string yaml)
    {
        var (config, readDiagnostics) = YamlConfigReader.Read(yaml, "c.yaml");
        Assert.Empty(readDiagnostics);
        var (plan, diagnostics) = PlanCompiler.Compile(config!);
        return (plan, [.. diagnostics.Select(d => d.ToString())]);
    }

    static string[] Names(IEnumerable<ServiceSpec> services) => [.. services.Select(s => s.Name)];

    [Fact]
    public void Dependencies_start_first_and_ties_are_broken_by_name()
    {
        var plan = Compiled(Graph("web: app", "app: db cache", "db", "cache", "zz", "aa"));
        Assert.Equal(["aa", "cache", "db", "zz", "app", "web"], Names(plan.StartOrder));
        Assert.Equal(["web", "app", "zz", "db", "cache", "aa"], plan.StopOrder.ToArray());
    }

    [Fact]
    public void Levels_group_the_services_that_can_start_together()
    {
        var plan = Compiled(Graph("web: app", "app: db", "worker: db", "db", "proxy: web app", "cron"));
        Assert.Equal(
            [["cron", "db"], ["app", "worker"], ["web"], ["proxy"]],
            plan.Levels.Select(level => level.ToArray()));
    }

    [Fact]
    public void A_service_sits_one_level_above_its_deepest_dependency()
    {
        var plan = Compiled(Graph("d: a c", "c: b", "b: a", "a"));
        Assert.Equal([["a"], ["b"], ["c"], ["d"]], plan.Levels.Select(level => level.ToArray()));
    }

    [Fact]
    public void The_order_does_not_depend_on_the_order_services_are_written_in()
    {
        var one = Compiled(Graph("b", "a", "c: a b", "d: a"));
        var other = Compiled(Graph("d: a", "c: b a", "a", "b"));
        Assert.Equal(Names(one.StartOrder), Names(other.StartOrder));
        Assert.Equal(["a", "b", "c", "d"], Names(one.StartOrder));
    }

    [Fact]
    public void Dependents_lists_each_services_direct_dependents_sorted()
    {
        var plan = Compiled(Graph("web: app", "api: app db", "app: db", "db"));
        Assert.Equal<string>(["api", "app"], plan.Dependents["db"]);
        Assert.Equal<string>(["api", "web"], plan.Dependents["app"]);
        Assert.Empty(plan.Dependents["web"]);
        Assert.Equal(4, plan.Dependents.Count);
    }

    [Fact]
    public void A_service_is_found_by_name()
    {
        var config = Graph("web: db", "db");
        var plan = Compiled(config);
        Assert.Same(config.Services[0], plan["web"]);
        Assert.Same(config.Services[1], plan.Service("db"));
        Assert.Same(config, plan.Config);
        Assert.True(plan.TryGetService("db", out _));
        Assert.False(plan.TryGetService("nope", out _));
        Assert.Throws<KeyNotFoundException>(() => plan["nope"]);
    }

    [Fact]
    public void Several_main_services_are_allowed()
    {
        var config = Graph("a", "b");
        config = config with { Services = [.. config.Services.Select(s => s with { Main = true })] };
        Assert.Equal(2, Compiled(config).StartOrder.Count(s => s.Main));
    }

    [Fact]
    public void An_unknown_dependency_is_reported_where_it_is_written_with_a_suggestion()
    {
        var (plan, diagnostics) = FromYaml("""
            services:
              web:
                command: [a]
                depends_on: [dbb, cache]
              db:
                command: [b]
            """);
        Assert.Null(plan);
        Assert.Equal(
            [
                "c.yaml:4: services.web.depends_on: 'web' depends on 'dbb', which is not a service; did you mean 'db'? (services: db, web)",
                "c.yaml:4: services.web.depends_on: 'web' depends on 'cache', which is not a service (services: db, web)",
            ],
            diagnostics);
    }

    [Fact]
    public void A_service_that_depends_on_itself_is_an_error()
    {
        var (plan, diagnostics) = FromYaml("services:\n  web:\n    command: [a]\n    depends_on:\n      - web\n");
        Assert.Null(plan);
        Assert.Equal(["c.yaml:5: services.web.depends_on: 'web' depends on itself"], diagnostics);
    }

    [Fact]
    public void A_dependency_listed_twice_is_an_error()
    {
        var (plan, diagnostics) = FromYaml("services:\n  web:\n    command: [a]\n    depends_on: [db, db]\n  db:\n    command: [b]\n");
        Assert.Null(plan);
        Assert.Equal(["c.yaml:4: services.web.depends_on: 'db' is listed twice"], diagnostics);
    }

    [Fact]
    public void A_cycle_is_reported_once_at_the_dependency_that_closes_it_with_its_path()
    {
        var (plan, diagnostics) = FromYaml("""
            services:
              a:
                command: [a]
                depends_on: [b]
              b:
                command: [b]
                depends_on: [c]
              c:
                command: [c]
                depends_on:
                  - a
              d:
                command: [d]
                depends_on: [a]
            """);
        Assert.Null(plan);
        Assert.Equal(["c.yaml:11: services.c.depends_on: dependency cycle: a -> b -> c -> a"], diagnostics);
    }

    [Fact]
    public void Separate_cycles_are_each_reported()
    {
        var (plan, diagnostics) = PlanCompiler.Compile(Graph("a: b", "b: a", "x: y", "y: x", "ok"));
        Assert.Null(plan);
        Assert.Equal(["dependency cycle: a -> b -> a", "dependency cycle: x -> y -> x"], diagnostics.Select(d => d.Message));
        Assert.Equal(["services.b.depends_on", "services.y.depends_on"], diagnostics.Select(d => d.Field));
    }

    /// <summary>web depends on db with <paramref name="condition"/>; db has <paramref name="dbSettings"/> (lines from 9 on).</summary>
    static (Plan? Plan, string[] Diagnostics) WebNeedsDb(string condition, string dbSettings = "") =>
        FromYaml($"services:\n  web:\n    command: [a]\n    depends_on:\n      db:\n        condition: {condition}\n  db:\n    command: [b]\n"
            + string.Join("", dbSettings.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "    " + l + "\n")));

    [Theory]
    [InlineData("ready", "ready: notify")]
    [InlineData("ready", "ready: {notify_fd: 3}")]
    [InlineData("ready", "ready: {log_line: listening}")]
    [InlineData("ready", "startup_probe: {tcp: {port: 5432}}")]
    [InlineData("ready", "readiness_probe: {exec: [pg_isready]}")]
    [InlineData("healthy", "readiness_probe: {exec: [pg_isready]}")]
    [InlineData("service_healthy", "liveness_probe: {tcp: {port: 5432}}")]
    [InlineData("healthy", "ready: notify\nliveness_probe: {tcp: {port: 5432}}")]
    [InlineData("started", "")]
    public void Readiness_conditions_on_a_service_that_can_tell_are_fine(string condition, string dbSettings)
    {
        var (plan, diagnostics) = WebNeedsDb(condition, dbSettings);
        Assert.NotNull(plan);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Ready_on_a_service_without_a_readiness_signal_or_probe_is_a_warning_that_it_means_started()
    {
        var (plan, diagnostics) = WebNeedsDb("ready");
        Assert.NotNull(plan);
        Assert.Equal(["c.yaml:5: warning: services.web.depends_on: 'db' has no readiness signal or probe: 'ready' means started"], diagnostics);
    }

    [Fact]
    public void A_liveness_probe_alone_does_not_make_a_service_ready()
    {
        var (plan, diagnostics) = WebNeedsDb("ready", "liveness_probe: {tcp: {port: 5432}}");
        Assert.NotNull(plan);
        Assert.Equal(["c.yaml:5: warning: services.web.depends_on: 'db' has no readiness signal or probe: 'ready' means started"], diagnostics);
    }

    [Theory]
    [InlineData("healthy")]
    [InlineData("service_healthy")]
    public void Healthy_on_a_service_without_any_readiness_is_a_warning_that_it_means_started(string condition)
    {
        var (plan, diagnostics) = WebNeedsDb(condition);
        Assert.NotNull(plan);
        Assert.Equal(["c.yaml:5: warning: services.web.depends_on: 'db' has no liveness or readiness probe: 'healthy' means started"], diagnostics);
    }

    [Theory]
    [InlineData("ready: notify")]
    [InlineData("startup_probe: {exec: [pg_isready]}")]
    public void Healthy_on_a_service_with_a_readiness_signal_but_no_probe_is_a_warning_that_it_means_ready(string dbSettings)
    {
        var (plan, diagnostics) = WebNeedsDb("healthy", dbSettings);
        Assert.NotNull(plan);
        Assert.Equal(["c.yaml:5: warning: services.web.depends_on: 'db' has no liveness or readiness probe: 'healthy' means ready"], diagnostics);
    }

    [Fact]
    public void Readiness_warnings_come_from_any_reader_and_skip_unknown_services()
    {
        var config = new SupervisorConfig
        {
            Services =
            [
                new ServiceSpec
                {
                    Name = "web", Command = ["a"],
                    DependsOn = [new("db", DependencyCondition.Ready, Nowhere), new("cache", DependencyCondition.Healthy, Nowhere), new("nope", DependencyCondition.Ready, Nowhere)],
                },
                new ServiceSpec { Name = "db", Command = ["b"], Ready = new ReadySpec(ReadinessKind.NotifyFd, Fd: 3) },
                new ServiceSpec { Name = "cache", Command = ["c"] },
            ],
        };
        var (plan, diagnostics) = PlanCompiler.Compile(config);
        Assert.Null(plan);
        Assert.Equal(
            [
                (Severity.Error, "services.web.depends_on"),
                (Severity.Warning, "services.web.depends_on"),
            ],
            diagnostics.Select(d => (d.Severity, d.Field)));
        Assert.Contains("'nope'", diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal("'cache' has no liveness or readiness probe: 'healthy' means started", diagnostics[1].Message);
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("completed_successfully")]
    public void Waiting_for_a_longrun_to_complete_is_a_warning_not_an_error(string condition)
    {
        var (plan, diagnostics) = FromYaml($"services:\n  web:\n    command: [a]\n    depends_on:\n      db:\n        condition: {condition}\n  db:\n    command: [b]\n");
        Assert.NotNull(plan);
        Assert.Equal(["c.yaml:5: warning: services.web.depends_on: 'db' is a longrun, so 'web' starts only once it has exited; did you mean 'type: oneshot' for 'db', or condition 'started'?"], diagnostics);
    }

    [Fact]
    public void Waiting_for_a_oneshot_to_complete_is_fine()
    {
        var (plan, diagnostics) = FromYaml("services:\n  web:\n    command: [a]\n    depends_on:\n      init:\n        condition: completed\n  init:\n    type: oneshot\n    command: [b]\n");
        Assert.NotNull(plan);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void An_empty_command_is_an_error_at_the_service()
    {
        var (plan, diagnostics) = FromYaml("services:\n  web:\n    command: []\n  api:\n    command: \"  \"\n");
        Assert.Null(plan);
        Assert.Equal(
            [
                "c.yaml:2: services.web.command: the command is empty; it needs at least a program to run",
                "c.yaml:4: services.api.command: the command is empty; it needs at least a program to run",
            ],
            diagnostics);
    }

    [Fact]
    public void A_shell_service_with_an_empty_script_is_an_error()
    {
        var (plan, diagnostics) = FromYaml("services:\n  web:\n    shell: true\n    command: \"  \"\n");
        Assert.Null(plan);
        Assert.Equal(["c.yaml:2: services.web.command: with 'shell: true' the command must be one non-empty script"], diagnostics);
    }

    [Fact]
    public void A_command_from_another_reader_that_is_default_is_an_error_too()
    {
        var config = new SupervisorConfig { Services = [new ServiceSpec { Name = "web", Command = default }] };
        var (plan, diagnostics) = PlanCompiler.Compile(config);
        Assert.Null(plan);
        Assert.Equal("services.web.command", Assert.Single(diagnostics).Field);
    }

    [Fact]
    public void Two_services_with_one_name_are_an_error()
    {
        var (plan, diagnostics) = PlanCompiler.Compile(Graph("web", "web"));
        Assert.Null(plan);
        Assert.Equal("a second service is named 'web'", Assert.Single(diagnostics).Message);
    }

    [Fact]
    public void All_rule_violations_are_collected()
    {
        var config = Graph("a: a ghost", "b");
        config = config with { Services = config.Services.SetItem(1, config.Services[1] with { Command = [] }) };
        var (_, diagnostics) = PlanCompiler.Compile(config);
        Assert.Equal(3, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(Severity.Error, d.Severity));
    }

    [Fact]
    public void A_plan_of_one_service_has_one_level()
    {
        var plan = Compiled(Graph("only"));
        Assert.Equal(["only"], plan.Levels.Single().ToArray());
        Assert.Equal(["only"], plan.StopOrder.ToArray());
    }

    [Fact]
    public void Cycles_are_found_even_when_other_rules_found_errors()
    {
        var (plan, diagnostics) = PlanCompiler.Compile(Graph("a: b nope", "b: a", "c: c"));
        Assert.Null(plan);
        Assert.Contains(diagnostics, d => d.Message == "dependency cycle: a -> b -> a");
        Assert.Contains(diagnostics, d => d.Message.StartsWith("'a' depends on 'nope'", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message == "'c' depends on itself");
        Assert.DoesNotContain(diagnostics, d => d.Message.Contains("c -> c", StringComparison.Ordinal));
    }

    [Fact]
    public void An_incomplete_service_counts_as_known_is_not_judged_and_gives_no_plan()
    {
        var config = Graph("web: db gone", "db") with { };
        config = config with { Services = [.. config.Services.Select(s => s.Name == "db" ? s with { Command = [] } : s)] };
        var (plan, diagnostics) = PlanCompiler.Compile(config, new HashSet<string> { "db", "gone" });
        Assert.Null(plan);
        Assert.Empty(diagnostics);
    }
}
