using Corral.Core.Config.Procfile;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config.Procfile;

public class ProcfileReaderTests
{
    const string Text = """
        # foreman ignores lines that are not "name: command"
        web: bundle exec rails server -p $PORT
        worker:   bundle exec sidekiq

        not a process line
        clock: bin/clock
        """;

    static SupervisorConfig Read(ProcfileOptions? options = null)
    {
        var (config, diagnostics) = ProcfileReader.Read(Text, "Procfile", options ?? new ProcfileOptions());
        Assert.Empty(diagnostics);
        return config!;
    }

    static string Env(ServiceSpec s, string name) => s.Environment.Last(kv => kv.Key == name).Value;

    [Fact]
    public void Each_process_type_runs_once_by_the_shell_named_type_dot_1_in_its_group()
    {
        var config = Read();
        Assert.Equal(["web.1", "worker.1", "clock.1"], config.Services.Select(s => s.Name));
        var web = config.Services[0];
        Assert.True(web.Shell);
        Assert.Equal("bundle exec rails server -p $PORT", Assert.Single(web.Command));
        Assert.Equal("web", Assert.Single(web.MemberOf));
        Assert.Equal(RestartPolicy.Never, web.Restart);
        Assert.Equal(new SourceLocation("Procfile", 2), web.Where);
    }

    [Fact]
    public void PORT_is_the_base_plus_100_per_type_in_file_order_plus_1_per_copy_and_PS_is_the_name()
    {
        var config = Read(new ProcfileOptions { Formation = "web=2,clock=3", BasePort = 7000 });
        var ports = config.Services.ToDictionary(s => s.Name, s => Env(s, "PORT"));
        Assert.Equal(new Dictionary<string, string>
        {
            ["web.1"] = "7000", ["web.2"] = "7001", ["worker.1"] = "7100", ["clock.1"] = "7200", ["clock.2"] = "7201", ["clock.3"] = "7202",
        }, ports);
        Assert.All(config.Services, s => Assert.Equal(s.Name, Env(s, "PS")));
    }

    [Fact]
    public void all_sets_every_type_and_zero_runs_none()
    {
        Assert.Equal(["web.1", "web.2", "worker.1", "worker.2"], Read(new ProcfileOptions { Formation = "all=2,clock=0" }).Services.Select(s => s.Name));
    }

    [Fact]
    public void One_process_ending_ends_them_all_unless_its_type_may_die()
    {
        var config = Read(new ProcfileOptions { CanDie = ["clock"] });
        Assert.True(config.Services.Single(s => s.Name == "web.1").Main);
        Assert.False(config.Services.Single(s => s.Name == "clock.1").Main);
    }

    [Fact]
    public void The_env_file_s_variables_reach_every_process()
    {
        var config = Read(new ProcfileOptions { Environment = [new("RAILS_ENV", "production")] });
        Assert.All(config.Services, s => Assert.Equal("production", Env(s, "RAILS_ENV")));
    }

    [Theory]
    [InlineData("web=x", "'web=x' is not TYPE=COUNT")]
    [InlineData("api=1", "'api' is not a process type of Procfile (web, worker, clock)")]
    public void A_wrong_formation_is_an_error_that_says_what_is_wrong(string formation, string message)
    {
        var (config, diagnostics) = ProcfileReader.Read(Text, "Procfile", new ProcfileOptions { Formation = formation });
        Assert.Null(config);
        Assert.Contains(message, Assert.Single(diagnostics).Message);
    }

    [Fact]
    public void Duplicate_types_empty_files_and_unknown_can_die_types_are_errors_with_their_line()
    {
        var (_, twice) = ProcfileReader.Read("web: a\nweb: b\n", "Procfile", new ProcfileOptions());
        Assert.Equal("Procfile:2: web: process type 'web' is defined twice (first on line 1)", Assert.Single(twice).ToString());
        var (_, empty) = ProcfileReader.Read("# nothing\n", "Procfile", new ProcfileOptions());
        Assert.Contains("no process types", Assert.Single(empty).Message);
        var (_, canDie) = ProcfileReader.Read("web: a\n", "Procfile", new ProcfileOptions { CanDie = ["wrk"] });
        Assert.Contains("'wrk' is not a process type", Assert.Single(canDie).Message);
    }
}
