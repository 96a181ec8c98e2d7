using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;

namespace Corral.Core.Tests.Supervision.Status;

public class WaitRuleTests
{
    static ServiceStatus S(string name, ServiceState state, bool ready = true, ServiceType type = ServiceType.Longrun, string? reason = null) =>
        new(name, type, state, Main: false, [], Pid: 1, ProcessGroup: 1, StartedAt: null, UptimeSeconds: 0, Restarts: 0,
            LastExit: null, ready, Live: true, reason, Status: null);

    [Fact]
    public void Ready_running_and_healthy_are_met_by_a_running_ready_service_and_a_completed_oneshot()
    {
        ServiceStatus[] all = [S("web", ServiceState.Running), S("migrate", ServiceState.Succeeded, type: ServiceType.Oneshot)];
        foreach (var condition in WaitRule.Conditions.Where(c => c != "down"))
            Assert.Equal(new WaitVerdict(WaitOutcome.Met, $"2 services {condition}"), WaitRule.Judge(all, false, condition));
    }

    [Fact]
    public void Down_is_met_without_a_process_and_never_hopeless_while_one_runs()
    {
        ServiceStatus[] stopped = [S("web", ServiceState.Exited) with { Pid = null }, S("job", ServiceState.Backoff) with { Pid = null }];
        Assert.Equal(new WaitVerdict(WaitOutcome.Met, "2 services down"), WaitRule.Judge(stopped, false, "down"));
        Assert.Equal(WaitOutcome.Pending, WaitRule.Judge([S("web", ServiceState.Stopping)], true, "down").Outcome);
        Assert.Equal(WaitOutcome.Pending, WaitRule.Judge([S("web", ServiceState.Running)], false, "down").Outcome);
    }

    [Fact]
    public void Running_but_not_ready_is_running_and_still_pending_for_ready()
    {
        ServiceStatus[] web = [S("web", ServiceState.Running, ready: false)];
        Assert.Equal(WaitOutcome.Met, WaitRule.Judge(web, false, "running").Outcome);
        Assert.Equal(new WaitVerdict(WaitOutcome.Pending, "web is running but not ready"), WaitRule.Judge(web, false, "ready"));
    }

    [Theory]
    [InlineData(ServiceState.Failed)]
    [InlineData(ServiceState.Skipped)]
    [InlineData(ServiceState.Exited)]
    public void A_service_that_has_ended_makes_the_wait_hopeless_with_why(ServiceState state)
    {
        var verdict = WaitRule.Judge([S("web", state, reason: "exit 3"), S("db", ServiceState.Starting)], false, "ready");
        Assert.Equal(WaitOutcome.Hopeless, verdict.Outcome);
        Assert.Equal($"web is {Health.Words(state)}: exit 3", verdict.Message);
    }

    [Fact]
    public void Waiting_services_are_pending_and_a_timeout_names_them()
    {
        var verdict = WaitRule.Judge([S("web", ServiceState.Waiting), S("db", ServiceState.Backoff)], false, "healthy");
        Assert.Equal(WaitOutcome.Pending, verdict.Outcome);
        Assert.Equal("timed out after 5s: web is waiting for its dependencies; db is restarting (backoff)", WaitRule.TimedOut(verdict, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Nothing_pending_comes_up_while_corral_shuts_down()
    {
        var verdict = WaitRule.Judge([S("web", ServiceState.Starting)], shuttingDown: true, "running");
        Assert.Equal(WaitOutcome.Hopeless, verdict.Outcome);
    }
}
