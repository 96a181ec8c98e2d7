using Corral.Core.Model.Services;
using Corral.Core.Supervision.Status;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// What "healthy" means, everywhere Corral says it: a longrun is healthy while it is running,
/// ready and not failing its liveness probe; a oneshot once it has completed successfully. A
/// longrun that is not running, for whatever reason (a crash, a backoff, a stop by request, a
/// clean exit), is not healthy.
/// </summary>
public static class Health
{
    /// <summary>
    /// (healthy, a one-line reason). names: only the services these names stand for (a service,
    /// a group as <c>web</c> or <c>web:*</c>, or all); every service when empty.
    /// </summary>
    public static (bool Healthy, string Reason) Evaluate(SupervisorStatus status, IReadOnlyCollection<string> names)
    {
        if (status.Corral.ShuttingDown) return (false, "corral is shutting down");
        var (checkedServices, unknown) = status.Pick(names);
        if (unknown.Count > 0) return (false, $"no such service or group: {string.Join(", ", unknown)}");
        var problems = checkedServices.Select(Problem).Where(p => p is not null).ToList();
        if (problems.Count > 0) return (false, string.Join("; ", problems));
        return (true, $"{checkedServices.Count} service{(checkedServices.Count == 1 ? "" : "s")} healthy");
    }

    /// <summary>Why a service is not healthy, or null when it is.</summary>
    public static string? Problem(ServiceStatus s) => (s.Type, s.State) switch
    {
        (_, ServiceState.Failed) => $"{s.Name} failed{Because(s)}",
        (_, ServiceState.Skipped) => $"{s.Name} was skipped{Because(s)}",
        (ServiceType.Oneshot, ServiceState.Succeeded) => null,
        (ServiceType.Oneshot, _) => $"{s.Name} has not completed yet ({Words(s.State)})",
        (_, ServiceState.Exited) => $"{s.Name} is not running (exited{Because(s)})",
        (_, ServiceState.Waiting) when s.Goal == GoalKind.Held => $"{s.Name} is not running (not started: it waits for a start request)",
        (_, ServiceState.Running) when !s.Ready => $"{s.Name} is running but not ready",
        (_, ServiceState.Running) when !s.Live => $"{s.Name} is failing its liveness probe",
        (_, ServiceState.Running) => null,
        _ => $"{s.Name} is {Words(s.State)}",
    };

    static string Because(ServiceStatus s) => s.Reason is { } r ? $": {r}" : "";

    public static string Words(ServiceState state) => state switch
    {
        ServiceState.Backoff => "restarting (backoff)",
        ServiceState.Waiting => "waiting for its dependencies",
        _ => state.ToString().ToLowerInvariant(),
    };
}
