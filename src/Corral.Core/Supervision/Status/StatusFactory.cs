using Corral.Core.Supervision.Services;

namespace Corral.Core.Supervision.Status;

/// <summary>
/// The status of a supervisor at <c>now</c>. Pure, like the supervisor: the clock readings come
/// in (DESIGN.md: Core never reads a clock). A process's wall-clock start is Corral's
/// wall-clock start plus the monotonic time between the two starts, so a wall-clock jump after
/// start-up moves no service's start.
/// </summary>
public static class StatusFactory
{
    /// <param name="now">Monotonic, the supervisor's clock.</param>
    /// <param name="startedAt">Corral's start, wall clock (UTC).</param>
    /// <param name="startedAtMonotonic">Corral's start on the monotonic clock.</param>
    public static SupervisorStatus Of(
        Supervisor supervisor, TimeSpan now, DateTime startedAt, TimeSpan startedAtMonotonic, int corralPid, string version, string configPath)
    {
        var services = supervisor.Services.Select(r =>
        {
            var up = r.Pid > 0;
            return new ServiceStatus(
                r.Name, r.Spec.Type, r.State, r.Spec.Main, r.Spec.MemberOf,
                up ? r.Pid : null,
                up && r.Group > 0 ? r.Group : null,
                up ? startedAt + (r.StartedAt - startedAtMonotonic) : null,
                up ? Seconds(now - r.StartedAt) : 0,
                r.Restarts,
                r.LastExit is { } exit ? LastExit.Of(exit) : null,
                r.IsReady, !r.LivenessFailing, r.Reason, r.StatusText, Goal: r.Goal.Kind);
        });
        var corral = new CorralStatus(corralPid, version, configPath, startedAt, Seconds(now - startedAtMonotonic), supervisor.ShuttingDown, supervisor.ReapedOrphans);
        return new SupervisorStatus(corral, [.. services]);
    }

    /// <summary>Milliseconds are precision enough for an uptime, and keep the JSON short.</summary>
    static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 3);
}
