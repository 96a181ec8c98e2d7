using Corral.Core.Compat.Supervisord;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using static Corral.Core.Tests.Compat.Supervisord.ProcessStatesTests;

namespace Corral.Core.Tests.Compat.Supervisord;

public class ProcessInfoTests
{
    static readonly DateTime Started = new(2026, 11, 23, 3, 16, 1, DateTimeKind.Utc);
    static readonly long Start = (long)(Started - DateTime.UnixEpoch).TotalSeconds;

    [Theory]
    [InlineData(0, "0:00:00")]
    [InlineData(9, "0:00:09")]
    [InlineData(3723, "1:02:03")]
    [InlineData(86400 + 60, "1 day, 0:01:00")]
    [InlineData(3 * 86400 + 36000, "3 days, 10:00:00")]
    [InlineData(-5, "0:00:00")]
    public void Uptime_reads_like_pythons_timedelta(long seconds, string expected) => Assert.Equal(expected, ProcessInfo.Uptime(seconds));

    [Fact]
    public void A_running_process_has_supervisords_fields_in_supervisords_order()
    {
        var info = ProcessInfo.Of(Service(ServiceState.Running, name: "ticker", groups: ["workers", "other"], pid: 27252, started: Started), Start + 9);
        Assert.Equal(["name", "group", "start", "stop", "now", "state", "statename", "spawnerr", "exitstatus", "logfile", "stdout_logfile", "stderr_logfile", "pid", "description"],
            info.Select(m => m.Key));
        Assert.Equal("ticker", info["name"]);
        Assert.Equal("workers", info["group"]);
        Assert.Equal((int)Start, info["start"]);
        Assert.Equal(20, info["state"]);
        Assert.Equal("RUNNING", info["statename"]);
        Assert.Equal(27252, info["pid"]);
        Assert.Equal("pid 27252, uptime 0:00:09", info["description"]);
    }

    [Fact]
    public void A_fatal_process_says_why_and_a_stopped_one_how_it_ended()
    {
        var fatal = ProcessInfo.Of(Service(ServiceState.Failed, restarts: 3, exit: new(3, null, "exited with code 3")), Start);
        Assert.Equal(ProcessInfo.ExitedTooQuickly, fatal["description"]);
        Assert.Equal(ProcessInfo.ExitedTooQuickly, fatal["spawnerr"]);
        Assert.Equal(3, fatal["exitstatus"]);
        Assert.Equal(0, fatal["pid"]);
        Assert.Equal("Not started", ProcessInfo.Of(Service(ServiceState.Waiting), Start)["description"]);
        Assert.Equal("killed by SIGTERM", ProcessInfo.Of(Service(ServiceState.Exited, goal: GoalKind.Held, exit: new(null, "SIGTERM", "killed by SIGTERM")), Start)["description"]);
        Assert.Equal("", ProcessInfo.Of(Service(ServiceState.Starting, pid: 5, started: Started), Start)["description"]);
    }

    [Theory]
    [InlineData("workers:ticker", "workers", "ticker")]
    [InlineData("workers:*", "workers", null)]
    [InlineData("workers:", "workers", null)]
    [InlineData("sleeper", "sleeper", "sleeper")]
    public void Namespecs_split_as_supervisors_split_namespec(string spec, string group, string? process) =>
        Assert.Equal((group, process), ProcessInfo.Split(spec));

    [Fact]
    public void A_namespec_finds_a_service_by_group_and_name_or_by_its_own_name()
    {
        var status = new SupervisorStatus(new CorralStatus(1, "v", "c", Started, 0, false, 0),
            [Service(ServiceState.Running, name: "ticker", groups: ["workers"]), Service(ServiceState.Running, name: "sleeper")]);
        Assert.Equal("ticker", ProcessInfo.Find(status, "workers:ticker")?.Name);
        Assert.Equal("ticker", ProcessInfo.Find(status, "ticker")?.Name);
        Assert.Equal("sleeper", ProcessInfo.Find(status, "sleeper")?.Name);
        Assert.Null(ProcessInfo.Find(status, "other:ticker"));
        Assert.Null(ProcessInfo.Find(status, "workers"));
        Assert.Null(ProcessInfo.Find(status, "workers:*"));
        Assert.Equal(["ticker"], ProcessInfo.Group(status, "workers")!.Select(s => s.Name));
        Assert.Null(ProcessInfo.Group(status, "nosuch"));
        Assert.Equal("workers:ticker", ProcessInfo.Namespec(status.Services[0]));
        Assert.Equal("sleeper", ProcessInfo.Namespec(status.Services[1]));
        Assert.Equal(Start + 12, ProcessInfo.Now(status with { Corral = status.Corral with { UptimeSeconds = 12.4 } }));
    }
}
