using System.Collections.Immutable;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>One service as the status file records it, for <c>corral healthcheck</c> and status output.</summary>
public sealed record ServiceStatus(
    string Name, ServiceType Type, ServiceState State, bool Ready, bool Healthy, int Pid, int Restarts, string? Reason, string? StatusText);

/// <summary>A snapshot of the whole supervisor, written atomically after every change.</summary>
public sealed record SupervisorStatus(int CorralPid, bool ShuttingDown, ImmutableArray<ServiceStatus> Services)
{
    public static SupervisorStatus Of(Supervisor supervisor, int corralPid) => new(
        corralPid,
        supervisor.ShuttingDown,
        [.. supervisor.Services.Select(r => new ServiceStatus(
            r.Name, r.Spec.Type, r.State, r.IsReady, r.IsReady && !r.LivenessFailing, r.Pid, r.Restarts, r.Reason, r.StatusText))]);
}

/// <summary>
/// What "healthy" means for a container: every service that should be up is running and
/// ready (longruns), or has completed successfully (oneshots). A longrun that ended cleanly
/// with restart: never is fine; anything failed, skipped, restarting or not ready is not.
/// </summary>
public static class Health
{
    /// <summary>(healthy, a one-line reason). names: only these services (all when empty).</summary>
    public static (bool Healthy, string Reason) Evaluate(SupervisorStatus status, IReadOnlyCollection<string> names)
    {
        if (status.ShuttingDown) return (false, "corral is shutting down");
        var unknown = names.Where(n => status.Services.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0) return (false, $"no such service: {string.Join(", ", unknown)}");
        var checkedServices = status.Services.Where(s => names.Count == 0 || names.Contains(s.Name)).ToList();
        var problems = checkedServices.Select(Problem).Where(p => p is not null).ToList();
        if (problems.Count > 0) return (false, string.Join("; ", problems));
        return (true, $"{checkedServices.Count} service{(checkedServices.Count == 1 ? "" : "s")} healthy");
    }

    static string? Problem(ServiceStatus s) => (s.Type, s.State) switch
    {
        (_, ServiceState.Failed) => $"{s.Name} failed{Because(s)}",
        (_, ServiceState.Skipped) => $"{s.Name} was skipped{Because(s)}",
        (ServiceType.Oneshot, ServiceState.Succeeded) => null,
        (ServiceType.Oneshot, _) => $"{s.Name} has not completed yet ({Words(s.State)})",
        (_, ServiceState.Exited) => null,
        (_, ServiceState.Running) when !s.Ready => $"{s.Name} is running but not ready",
        (_, ServiceState.Running) when !s.Healthy => $"{s.Name} is failing its liveness probe",
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
