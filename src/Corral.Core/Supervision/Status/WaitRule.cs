using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Supervision.Status;

public enum WaitOutcome { Met, Pending, Hopeless }

/// <summary>Where a wait stands: met, still pending, or hopeless (it can no longer be met without a person's help); in words.</summary>
public sealed record WaitVerdict(WaitOutcome Outcome, string Message);

/// <summary>
/// <c>corral ctl wait</c>'s rule (and s6-svwait's): when services count as ready, running, healthy or down, and when
/// waiting any longer is hopeless (a service failed, was skipped, has ended, or Corral is
/// shutting down), so the wait ends at once with why instead of at its timeout.
/// </summary>
public static class WaitRule
{
    public static readonly IReadOnlyList<string> Conditions = ["ready", "running", "healthy", "down"];

    public static bool Met(ServiceStatus s, string condition) => condition switch
    {
        "running" => s.State == ServiceState.Running || Completed(s),
        // No process, and none on its way (s6-svwait -d): a stopped, ended or backing-off service.
        "down" => s.Pid is null && s.State is not (ServiceState.Starting or ServiceState.Running or ServiceState.Stopping),
        "healthy" => Health.Problem(s) is null,
        _ => s.State == ServiceState.Running && s.Ready || Completed(s),
    };

    static bool Completed(ServiceStatus s) => s.Type == ServiceType.Oneshot && s.State == ServiceState.Succeeded;

    public static WaitVerdict Judge(IReadOnlyList<ServiceStatus> services, bool shuttingDown, string condition)
    {
        var pending = services.Where(s => !Met(s, condition)).ToList();
        if (pending.Count == 0)
            return new WaitVerdict(WaitOutcome.Met, $"{(services.Count == 1 ? "1 service" : $"{services.Count} services")} {condition}");
        // Every process ends in time: a wait for down is never hopeless.
        var hopeless = pending.Where(s => condition != "down" && (shuttingDown || s.State is ServiceState.Failed or ServiceState.Skipped or ServiceState.Exited or ServiceState.Succeeded)).ToList();
        if (hopeless.Count > 0)
            return new WaitVerdict(WaitOutcome.Hopeless, string.Join("; ", hopeless.Select(s => $"{s.Name} is {Health.Words(s.State)}{(s.Reason is { } r ? $": {r}" : "")}")));
        return new WaitVerdict(WaitOutcome.Pending, string.Join("; ", pending.Select(s => $"{s.Name} is {Health.Words(s.State)}{(s.State == ServiceState.Running ? " but not " + condition : "")}")));
    }

    /// <summary>What a wait that ran out of time says: the timeout and what was still pending.</summary>
    public static string TimedOut(WaitVerdict pending, TimeSpan timeout) => $"timed out after {Durations.Format(timeout)}: {pending.Message}";
}
