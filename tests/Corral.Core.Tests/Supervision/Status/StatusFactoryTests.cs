using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using Corral.Core.Tests.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Status;

public class StatusFactoryTests
{
    static readonly DateTime WallStart = new(2026, 11, 29, 21, 0, 0, DateTimeKind.Utc);
    static readonly TimeSpan MonotonicStart = TimeSpan.FromSeconds(5);

    static SupervisorStatus Take(Sim sim) => StatusFactory.Of(sim.Supervisor, sim.Now, WallStart, MonotonicStart, 42, "1.2.3", "/etc/corral.yaml");

    /// <summary>web (main, group front) runs; setup succeeded; crash failed with exit code 3; killed failed of SIGKILL.</summary>
    static Sim Running()
    {
        var sim = new Sim(
            Oneshot("setup"),
            Longrun("web") with { Main = true, MemberOf = ["front"] },
            Longrun("crash") with { Restart = RestartPolicy.Never },
            Longrun("killed") with { Restart = RestartPolicy.Never });
        sim.Advance(TimeSpan.FromSeconds(10)).Boot();
        sim.Exit("setup", 0).Exit("crash", 3).Kill("killed", 9);
        sim.Feed(new Notified("web", sim.Pids["web"], NotifyKind.Status, "serving"));
        return sim.Advance(TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public void A_running_service_has_its_pid_process_group_wall_clock_start_and_uptime_from_the_clocks_given()
    {
        var sim = Running();
        var web = Take(sim).Service("web")!;
        Assert.Equal(new ServiceStatus(
            "web", ServiceType.Longrun, ServiceState.Running, Main: true, web.Groups, Pid: sim.Pids["web"], ProcessGroup: sim.Pids["web"],
            StartedAt: WallStart + TimeSpan.FromSeconds(5), UptimeSeconds: 2.5, Restarts: 0, LastExit: null,
            Ready: true, Live: true, Reason: null, Status: "serving"), web);
        Assert.Equal<string>(["front"], web.Groups);
        Assert.True(web.Healthy);
    }

    [Fact]
    public void A_service_without_a_process_has_no_pid_no_start_and_no_uptime_but_its_last_exit()
    {
        var status = Take(Running());
        var crash = status.Service("crash")!;
        Assert.Equal(ServiceState.Failed, crash.State);
        Assert.Null(crash.Pid);
        Assert.Null(crash.ProcessGroup);
        Assert.Null(crash.StartedAt);
        Assert.Equal(0, crash.UptimeSeconds);
        Assert.Equal(new LastExit(3, null, "exited with code 3"), crash.LastExit);
        Assert.Equal(3, crash.LastExit!.ShellCode());
        Assert.Equal(new LastExit(null, "SIGKILL", "killed by SIGKILL"), status.Service("killed")!.LastExit);
        Assert.Equal(137, status.Service("killed")!.LastExit!.ShellCode());
        Assert.Equal(ServiceState.Succeeded, status.Service("setup")!.State);
    }

    [Fact]
    public void Corral_itself_is_described_by_the_inputs_and_the_supervisor()
    {
        var sim = Running();
        sim.Feed(new ProcessExited(9999, ExitStatus.Exited(0)));
        var corral = Take(sim).Corral;
        Assert.Equal(new CorralStatus(42, "1.2.3", "/etc/corral.yaml", WallStart, UptimeSeconds: 7.5, ShuttingDown: false, ReapedOrphans: 1), corral);
        sim.Signal(Signals.SIGTERM);
        Assert.True(Take(sim).Corral.ShuttingDown);
    }

    [Fact]
    public void Services_come_in_the_supervisor_s_order_and_health_is_the_one_predicate()
    {
        var sim = Running();
        var status = Take(sim);
        Assert.Equal(sim.Supervisor.Services.Select(r => r.Name), status.Services.Select(s => s.Name));
        Assert.All(status.Services, s => Assert.Equal(Health.Problem(s) is null, s.Healthy));
        Assert.Equal((false, "crash failed: exited with code 3; killed failed: killed by SIGKILL"), Health.Evaluate(status, []));
        Assert.Equal((true, "1 service healthy"), Health.Evaluate(status, ["front"]));
    }

    [Fact]
    public void Uptimes_are_rounded_to_the_millisecond()
    {
        var sim = Running().Advance(TimeSpan.FromTicks(1234));
        Assert.Equal(2.5, Take(sim).Service("web")!.UptimeSeconds);
    }
}
