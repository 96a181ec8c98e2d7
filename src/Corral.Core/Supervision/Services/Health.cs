using System.Collections.Immutable;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// One service as the status file and the control API record it. Live: not failing a
/// liveness probe (true without one). Groups: the config's groups, so names given to
/// <c>corral healthcheck</c> mean what they mean to <c>corral ctl</c>.
/// </summary>
public sealed record ServiceStatus(
    string Name, ServiceType Type, ServiceState State, bool Ready, bool Live, int Pid, int Restarts, string? Reason, string? StatusText,
    ImmutableArray<string> Groups)
{
    /// <summary>The one definition of a healthy service, shared by healthcheck, ctl status, the API and metrics.</summary>
    public bool Healthy => Health.Problem(this) is null;
}

/// <summary>A snapshot of the whole supervisor, written atomically after every change.</summary>
public sealed record SupervisorStatus(int CorralPid, bool ShuttingDown, ImmutableArray<ServiceStatus> Services)
{
    public static SupervisorStatus Of(Supervisor supervisor, int corralPid) => new(
        corralPid,
        supervisor.ShuttingDown,
        [.. supervisor.Services.Select(r => new ServiceStatus(
            r.Name, r.Spec.Type, r.State, r.IsReady, !r.LivenessFailing, r.Pid, r.Restarts, r.Reason, r.StatusText, r.Spec.MemberOf))]);
}

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
        if (status.ShuttingDown) return (false, "corral is shutting down");
        var (checkedServices, unknown) = ServiceNames.Pick(status.Services, names, s => s.Name, s => s.Groups);
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
