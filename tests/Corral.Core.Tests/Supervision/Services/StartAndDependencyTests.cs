using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

public class StartAndDependencyTests
{
    [Fact]
    public void Services_without_dependencies_all_start_at_boot()
    {
        var sim = new Sim(Longrun("a"), Longrun("b"), Longrun("c")).Boot();
        Assert.Equal(["a", "b", "c"], sim.Spawns.Select(s => s.Service));
        Assert.All(["a", "b", "c"], n => Assert.Equal(ServiceState.Running, sim.State(n)));
    }

    [Fact]
    public void A_dependent_starts_after_its_dependency_has_started()
    {
        var sim = new Sim(Longrun("proxy", "app"), Longrun("app")).Boot();
        Assert.Equal(["app", "proxy"], sim.Spawns.Select(s => s.Service));
    }

    [Fact]
    public void Completed_successfully_waits_for_the_oneshot_to_succeed()
    {
        var app = Longrun("app") with { DependsOn = After("migrate", DependencyCondition.CompletedSuccessfully) };
        var sim = new Sim(Oneshot("migrate"), app).Boot();
        Assert.Equal(ServiceState.Waiting, sim.State("app"));
        sim.Advance(TimeSpan.FromSeconds(3)).Exit("migrate", 0);
        Assert.Equal(ServiceState.Succeeded, sim.State("migrate"));
        Assert.Equal(ServiceState.Running, sim.State("app"));
    }

    [Fact]
    public void A_failed_oneshot_skips_dependents_that_need_its_success_and_shuts_down_non_zero()
    {
        var app = Longrun("app") with { DependsOn = After("migrate", DependencyCondition.CompletedSuccessfully) };
        var sim = new Sim(Oneshot("migrate"), app).Boot().Exit("migrate", 4);
        Assert.Equal(ServiceState.Failed, sim.State("migrate"));
        Assert.Equal(ServiceState.Skipped, sim.State("app"));
        Assert.Contains("migrate", sim.Supervisor["app"].Reason);
        sim.Feed(new NoChildrenLeft());
        Assert.Equal(4, sim.ExitCode);
    }

    [Fact]
    public void Completed_lets_dependents_start_even_after_a_failed_oneshot()
    {
        var report = Longrun("report") with { DependsOn = After("check", DependencyCondition.Completed) };
        var sim = new Sim(Oneshot("check"), report).Boot().Exit("check", 1);
        Assert.Equal(ServiceState.Running, sim.State("report"));
        Assert.False(sim.Supervisor.ShuttingDown);
    }

    [Fact]
    public void Started_is_met_by_a_running_service_and_by_a_finished_oneshot()
    {
        var b = Longrun("b") with { DependsOn = After("setup", DependencyCondition.Started) };
        var sim = new Sim(Oneshot("setup"), b).Boot();
        Assert.Equal(ServiceState.Running, sim.State("b"));
    }

    [Fact]
    public void A_dependent_of_a_service_that_failed_to_start_is_skipped_with_a_reason()
    {
        var dep = Longrun("web", "db");
        var db = Longrun("db") with { Restart = RestartPolicy.Never };
        var sim = new Sim(db, dep);
        sim.FailSpawnOf("db");
        sim.Boot();
        Assert.Equal(ServiceState.Failed, sim.State("db"));
        Assert.Equal(ServiceState.Skipped, sim.State("web"));
        Assert.Contains("dependency 'db' failed", sim.Supervisor["web"].Reason);
    }

    [Fact]
    public void A_spawn_failure_counts_as_exit_127_and_is_restarted_by_policy()
    {
        var sim = new Sim(Longrun("a"));
        sim.FailSpawnOf("a");
        sim.Boot();
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        Assert.Equal(127, sim.Supervisor["a"].LastExit!.Value.Code);
    }

    [Fact]
    public void Skipping_propagates_down_a_chain()
    {
        var b = Longrun("b") with { DependsOn = After("a", DependencyCondition.CompletedSuccessfully) };
        var c = Longrun("c", "b");
        var sim = new Sim(Oneshot("a") with { OnFailure = FailureAction.Ignore }, b, c).Boot().Exit("a", 1);
        Assert.Equal(ServiceState.Skipped, sim.State("b"));
        Assert.Equal(ServiceState.Skipped, sim.State("c"));
    }
}
