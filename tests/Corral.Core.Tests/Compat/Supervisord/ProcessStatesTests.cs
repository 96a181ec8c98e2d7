using System.Collections.Immutable;
using Corral.Core.Compat.Supervisord;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;

namespace Corral.Core.Tests.Compat.Supervisord;

public class ProcessStatesTests
{
    internal static ServiceStatus Service(
        ServiceState state, bool ready = true, GoalKind goal = GoalKind.Up, int restarts = 0, LastExit? exit = null,
        string name = "web", ImmutableArray<string> groups = default, int? pid = null, DateTime? started = null, string? reason = null) =>
        new(name, ServiceType.Longrun, state, false, groups.IsDefault ? [] : groups, pid, pid, started, 0, restarts, exit, ready, true, reason, null, Goal: goal);

    static readonly LastExit Code3 = new(3, null, "exited with code 3");

    public static TheoryData<ServiceStatus, string> Cases => new()
    {
        { Service(ServiceState.Waiting), "STOPPED" },
        { Service(ServiceState.Skipped), "STOPPED" },
        { Service(ServiceState.Starting), "STARTING" },
        { Service(ServiceState.Running, ready: false), "STARTING" },
        { Service(ServiceState.Running, ready: true), "RUNNING" },
        { Service(ServiceState.Backoff), "BACKOFF" },
        { Service(ServiceState.Stopping), "STOPPING" },
        { Service(ServiceState.Exited, exit: Code3), "EXITED" },
        { Service(ServiceState.Succeeded, exit: new(0, null, "exited with code 0")), "EXITED" },
        { Service(ServiceState.Exited, goal: GoalKind.Held, exit: Code3), "STOPPED" },
        { Service(ServiceState.Exited, goal: GoalKind.Down, exit: Code3), "STOPPED" },
        { Service(ServiceState.Failed, restarts: 3, exit: Code3), "FATAL" },
        { Service(ServiceState.Failed), "FATAL" },
        { Service(ServiceState.Failed, exit: new(127, null, "exited with code 127")), "FATAL" },
        { Service(ServiceState.Failed, exit: Code3), "EXITED" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_corral_state_has_its_supervisord_state(ServiceStatus s, string expected) =>
        Assert.Equal(expected, ProcessStates.Name(ProcessStates.Of(s)));

    [Fact]
    public void The_codes_are_supervisords()
    {
        Assert.Equal([0, 10, 20, 30, 40, 100, 200, 1000],
            new[] { ProcessStates.Stopped, ProcessStates.Starting, ProcessStates.Running, ProcessStates.Backoff, ProcessStates.Stopping, ProcessStates.Exited, ProcessStates.Fatal, ProcessStates.Unknown });
        Assert.All(new[] { 10, 20, 30 }, c => Assert.True(ProcessStates.IsRunning(c)));
        Assert.All(new[] { 0, 100, 200, 1000 }, c => Assert.True(ProcessStates.IsStopped(c)));
        Assert.False(ProcessStates.IsRunning(40) || ProcessStates.IsStopped(40));
    }
}
