using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;

namespace Corral.Core.Tests.Supervision.Services;

public class HealthTests
{
    static ServiceStatus S(string name, ServiceState state, bool ready = true, ServiceType type = ServiceType.Longrun, bool live = true, string[]? groups = null, string? reason = null) =>
        new(name, type, state, Main: false, [.. groups ?? []], Pid: 1, ProcessGroup: 1, StartedAt: null, UptimeSeconds: 0, Restarts: 0,
            LastExit: null, ready, live, reason, Status: null);

    static SupervisorStatus Of(params ServiceStatus[] services) => Of(false, services);

    static SupervisorStatus Of(bool shuttingDown, params ServiceStatus[] services) =>
        new(new CorralStatus(1, "test", "corral.yaml", DateTime.UnixEpoch, 0, shuttingDown, 0), [.. services]);

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
        Assert.Equal((false, "no such service or group: nope"), Health.Evaluate(status, ["nope"]));
    }

    [Fact]
    public void A_longrun_that_is_not_running_is_unhealthy_whatever_the_reason_and_shutting_down_is_too()
    {
        Assert.Equal((false, "once is not running (exited)"), Health.Evaluate(Of(S("once", ServiceState.Exited)), []));
        Assert.Equal((false, "web is not running (exited: stopped by request)"),
            Health.Evaluate(Of(S("web", ServiceState.Exited, reason: "stopped by request")), []));
        Assert.False(S("web", ServiceState.Exited).Healthy);
        Assert.Equal((false, "corral is shutting down"), Health.Evaluate(Of(true, S("web", ServiceState.Running)), []));
    }

    [Fact]
    public void A_succeeded_oneshot_and_a_running_ready_live_longrun_are_healthy_and_a_failing_liveness_is_not()
    {
        Assert.True(S("migrate", ServiceState.Succeeded, type: ServiceType.Oneshot).Healthy);
        Assert.True(S("web", ServiceState.Running).Healthy);
        Assert.Equal("web is failing its liveness probe", Health.Problem(S("web", ServiceState.Running, live: false)));
    }

    [Fact]
    public void Names_may_be_groups_as_ctl_reads_them()
    {
        var status = Of(S("web", ServiceState.Running, groups: ["front"]), S("api", ServiceState.Failed, groups: ["back"]));
        Assert.True(Health.Evaluate(status, ["front"]).Healthy);
        Assert.True(Health.Evaluate(status, ["front:*"]).Healthy);
        Assert.Equal((false, "api failed"), Health.Evaluate(status, ["back"]));
        Assert.False(Health.Evaluate(status, ["all"]).Healthy);
    }

    [Fact]
    public void An_unfinished_oneshot_is_not_yet_healthy()
    {
        Assert.Equal((false, "migrate has not completed yet (running)"),
            Health.Evaluate(Of(S("migrate", ServiceState.Running, type: ServiceType.Oneshot)), []));
    }

    [Fact]
    public void A_service_held_before_it_ever_started_is_unhealthy_and_says_it_waits_for_a_start()
    {
        var held = S("batch", ServiceState.Waiting) with { Goal = GoalKind.Held };
        var (ok, why) = Health.Evaluate(Of(held), []);
        Assert.False(ok);
        Assert.Equal("batch is not running (not started: it waits for a start request)", why);
    }
}
