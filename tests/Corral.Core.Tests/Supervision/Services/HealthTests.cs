using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Tests.Supervision.Services;

public class HealthTests
{
    static ServiceStatus S(string name, ServiceState state, bool ready = true, ServiceType type = ServiceType.Longrun, bool healthy = true) =>
        new(name, type, state, ready, healthy && ready, 1, 0, null, null);

    static SupervisorStatus Of(params ServiceStatus[] services) => new(1, false, [.. services]);

    [Fact]
    public void Everything_running_and_ready_is_healthy()
    {
        var (ok, reason) = Health.Evaluate(Of(S("web", ServiceState.Running), S("migrate", ServiceState.Succeeded, type: ServiceType.Oneshot)), []);
        Assert.True(ok);
        Assert.Equal("2 services healthy", reason);
    }

    [Theory]
    [InlineData(ServiceState.Failed, "web failed")]
    [InlineData(ServiceState.Skipped, "web was skipped")]
    [InlineData(ServiceState.Backoff, "web is restarting (backoff)")]
    [InlineData(ServiceState.Waiting, "web is waiting for its dependencies")]
    [InlineData(ServiceState.Starting, "web is starting")]
    public void A_service_that_should_be_up_but_is_not_is_unhealthy(ServiceState state, string reason)
    {
        var (ok, why) = Health.Evaluate(Of(S("web", state)), []);
        Assert.False(ok);
        Assert.StartsWith(reason, why);
    }

    [Fact]
    public void Running_but_not_ready_is_unhealthy()
    {
        Assert.Equal((false, "web is running but not ready"), Health.Evaluate(Of(S("web", ServiceState.Running, ready: false)), []));
    }

    [Fact]
    public void Only_the_named_services_count_when_names_are_given()
    {
        var status = Of(S("web", ServiceState.Running), S("worker", ServiceState.Failed));
        Assert.True(Health.Evaluate(status, ["web"]).Healthy);
        Assert.False(Health.Evaluate(status, ["worker"]).Healthy);
        Assert.Equal((false, "no such service: nope"), Health.Evaluate(status, ["nope"]));
    }

    [Fact]
    public void A_clean_exit_of_a_longrun_without_restart_is_healthy_and_shutting_down_is_not()
    {
        Assert.True(Health.Evaluate(Of(S("once", ServiceState.Exited)), []).Healthy);
        Assert.Equal((false, "corral is shutting down"), Health.Evaluate(new SupervisorStatus(1, true, [S("web", ServiceState.Running)]), []));
    }

    [Fact]
    public void An_unfinished_oneshot_is_not_yet_healthy()
    {
        Assert.Equal((false, "migrate has not completed yet (running)"),
            Health.Evaluate(Of(S("migrate", ServiceState.Running, type: ServiceType.Oneshot)), []));
    }
}
