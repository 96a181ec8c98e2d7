using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Tests.Planning;

public class ReplicasTests
{
    static ServiceSpec S(string name, params string[] after) => new()
    {
        Name = name,
        Command = ["run-" + name],
        DependsOn = [.. after.Select(a => new Dependency(a, DependencyCondition.Started, SourceLocation.None))],
    };

    static Corral.Core.Planning.Plan Compile(params ServiceSpec[] services)
    {
        var (plan, diagnostics) = PlanCompiler.Compile(new SupervisorConfig { Services = [.. services] });
        Assert.True(plan is not null, string.Join("\n", diagnostics));
        return plan!;
    }

    static string Env(ServiceSpec s, string name) => s.Environment.Last(kv => kv.Key == name).Value;

    [Fact]
    public void Replicas_become_copies_named_name_dot_i_in_the_group_name_with_CORRAL_REPLICA_and_PORT()
    {
        var plan = Compile(S("web") with { Replicas = 3, ReplicaPort = 8000, MemberOf = ["front"] });
        Assert.Equal(["web.1", "web.2", "web.3"], plan.StartOrder.Select(s => s.Name));
        Assert.All(plan.StartOrder, s => Assert.Equal(["web", "front"], s.MemberOf.ToArray()));
        Assert.Equal(["1", "2", "3"], plan.StartOrder.Select(s => Env(s, "CORRAL_REPLICA")));
        Assert.Equal(["8000", "8001", "8002"], plan.StartOrder.Select(s => Env(s, "PORT")));
        Assert.All(plan.StartOrder, s => Assert.Null(s.Replicas));
        Assert.Equal(3, plan.Declared.Services.Single().Replicas);
    }

    [Fact]
    public void A_dependency_on_the_service_waits_for_every_copy_and_one_on_a_copy_for_that_copy()
    {
        var plan = Compile(S("web") with { Replicas = 2 }, S("front", "web"), S("probe", "web.2"));
        Assert.Equal(["web.1", "web.2"], plan.Service("front").DependsOn.Select(d => d.Service));
        Assert.Equal(["web.2"], plan.Service("probe").DependsOn.Select(d => d.Service));
        Assert.Equal(["front", "probe"], plan.Dependents["web.2"].ToArray());
    }

    [Fact]
    public void Scaling_adds_or_removes_copies_only_and_changes_nothing_about_their_dependents()
    {
        var before = Compile(S("web") with { Replicas = 2 }, S("front", "web"));
        var (after, _) = PlanCompiler.Compile(Replicas.Scale(before.Declared, "web", 3)!);
        var diff = PlanDiff.Between(before, after!);
        Assert.Equal(["web.3"], diff.Added);
        Assert.Empty(diff.Changed);
        Assert.Empty(diff.Removed);
        var (down, _) = PlanCompiler.Compile(Replicas.Scale(before.Declared, "web", 1)!);
        var shrink = PlanDiff.Between(before, down!);
        Assert.Equal(["web.2"], shrink.Removed);
        Assert.Empty(shrink.Changed);
        Assert.Null(Replicas.Scale(before.Declared, "nope", 2));
    }

    [Fact]
    public void A_copy_name_that_is_taken_is_an_error()
    {
        var (plan, diagnostics) = PlanCompiler.Compile(new SupervisorConfig { Services = [S("web") with { Replicas = 2 }, S("web.2")] });
        Assert.Null(plan);
        Assert.Contains(diagnostics, d => d.Message.Contains("a second service is named 'web.2'"));
    }
}
