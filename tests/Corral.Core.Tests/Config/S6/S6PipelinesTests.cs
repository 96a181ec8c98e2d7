using Corral.Core.Config.S6;
using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config.S6;

/// <summary>log/ directories and s6-rc pipelines read into StdoutTo / ReadsPipe, and the services' environment.</summary>
public class S6PipelinesTests
{
    const string Root = "/etc/s6-overlay/s6-rc.d";

    static S6Definition Def(string name, params (string File, string Content)[] files) =>
        new(name, $"{Root}/{name}", files.ToDictionary(f => f.File, f => f.Content));

    static ServiceSpec Service(SupervisorConfig c, string name) => c.Services.Single(s => s.Name == name);

    [Fact]
    public void A_services_d_log_run_is_a_logger_fed_by_the_service_and_started_before_it()
    {
        var legacy = new S6Definition("nginx", "/etc/services.d/nginx", new Dictionary<string, string> { ["run"] = "#!/bin/sh\n", ["log/run"] = "#!/bin/sh\n" });
        var (config, diagnostics) = S6RcReader.Read([], Root, [], [legacy], []);
        Assert.DoesNotContain(diagnostics, d => d.Message.Contains("log"));
        var nginx = Service(config!, "nginx");
        var logger = Service(config!, "nginx-log");
        Assert.Equal("nginx-log", nginx.StdoutTo);
        Assert.True(logger.ReadsPipe);
        Assert.Equal(["/etc/services.d/nginx/log/run"], logger.Command.ToArray());
        Assert.Equal("/etc/services.d/nginx/log", logger.WorkingDir);
        Assert.Contains(nginx.DependsOn, d => d.Service == "nginx-log" && d.Condition == DependencyCondition.Started);
        Assert.Null(logger.StdoutTo);
    }

    [Fact]
    public void Producer_for_and_consumer_for_wire_a_funnel_and_pipeline_name_groups_it()
    {
        var (config, diagnostics) = S6RcReader.Read(
        [
            Def("web", ("type", "longrun\n"), ("run", "#!/bin/sh\n"), ("producer-for", "logger\n")),
            Def("api", ("type", "longrun\n"), ("run", "#!/bin/sh\n")),
            Def("logger", ("type", "longrun\n"), ("run", "#!/bin/sh\n"), ("consumer-for", "web\napi\n"), ("pipeline-name", "frontend\n")),
            Def("user", ("type", "bundle\n"), ("contents.d/web", ""), ("contents.d/api", "")),
        ], Root);
        Assert.True(config is not null, string.Join("\n", diagnostics));
        Assert.Equal("logger", Service(config!, "web").StdoutTo);
        Assert.Equal("logger", Service(config!, "api").StdoutTo);
        var logger = Service(config!, "logger");
        Assert.True(logger.ReadsPipe);
        Assert.True(logger.AutoStart);
        Assert.All(new[] { "web", "api", "logger" }, n => Assert.Contains("frontend", Service(config!, n).MemberOf));
        Assert.Empty(diagnostics.Where(d => d.Severity == Severity.Error));
    }

    [Fact]
    public void A_producer_with_two_consumers_is_an_error_at_its_file()
    {
        var (config, diagnostics) = S6RcReader.Read(
        [
            Def("web", ("type", "longrun\n"), ("run", "#!/bin/sh\n"), ("producer-for", "a\nb\n")),
            Def("a", ("type", "longrun\n"), ("run", "#!/bin/sh\n")),
            Def("b", ("type", "longrun\n"), ("run", "#!/bin/sh\n")),
        ], Root);
        Assert.Null(config);
        Assert.Contains(diagnostics, d => d.Where.File == $"{Root}/web/producer-for" && d.Message.Contains("exactly one consumer"));
    }

    [Fact]
    public void Services_get_a_clean_environment_unless_S6_KEEP_ENV_and_always_the_control_socket()
    {
        var config = new SupervisorConfig { Services = [new ServiceSpec { Name = "a", Command = ["x"] }] };
        var clean = S6Environment.Apply(config, new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["SECRET"] = "1" }, "/run/corral/corral.sock", "/").Services[0];
        Assert.False(clean.InheritEnv);
        Assert.Equal([new("PATH", "/usr/bin"), new("CORRAL_SOCKET", "/run/corral/corral.sock")], clean.Environment.ToArray());
        var kept = S6Environment.Apply(config, new Dictionary<string, string> { ["S6_KEEP_ENV"] = "1" }, "/s", "/tmp/root").Services[0];
        Assert.True(kept.InheritEnv);
        Assert.Equal([new("CORRAL_SOCKET", "/s"), new("CORRAL_S6_ROOT", "/tmp/root")], kept.Environment.ToArray());
        Assert.Equal(S6Environment.DefaultPath, S6Environment.Apply(config, new Dictionary<string, string>(), "/s", "/").Services[0].Environment[0].Value);
    }
}
