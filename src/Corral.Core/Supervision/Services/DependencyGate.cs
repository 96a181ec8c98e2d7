using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

public enum GateResult { Open, Pending, Never }

/// <summary>
/// Dependency gating, as Compose words it: for each condition (started, ready, healthy,
/// completed, completed successfully), whether a dependency meets it, may still, or never can.
/// Pure: reads the records it is given.
/// </summary>
public static class DependencyGate
{
    /// <summary>Whether r may start now; the reason in words when it never can.</summary>
    public static GateResult Of(ServiceRecord r, Func<string, ServiceRecord> record, out string reason)
    {
        reason = "";
        var result = GateResult.Open;
        foreach (var dep in r.Spec.DependsOn)
        {
            var d = record(dep.Service);
            var condition = Condition(d, dep.Condition);
            // A service stopped by request may be started again at any time, and one stopping to
            // be started again (a restart request, a reload's change, a failed start) will be:
            // its dependents wait.
            if (condition == GateResult.Never && (d.HeldDown || d.State == ServiceState.Stopping && (d.Goal.ComesBack || d.StoppingForFailure)))
                condition = GateResult.Pending;
            switch (condition)
            {
                case GateResult.Never:
                    reason = $"dependency '{d.Name}' {Describe(d)}, and {r.Name} needs it {Words(dep.Condition)}";
                    return GateResult.Never;
                case GateResult.Pending:
                    result = GateResult.Pending;
                    break;
            }
        }
        return result;
    }

    static GateResult Condition(ServiceRecord d, DependencyCondition condition)
    {
        var oneshot = d.Spec.Type == ServiceType.Oneshot;
        return condition switch
        {
            DependencyCondition.Ready or DependencyCondition.Healthy => d.State switch
            {
                ServiceState.Running when d.IsReady && !(condition == DependencyCondition.Healthy && d.LivenessFailing) => GateResult.Open,
                ServiceState.Succeeded => GateResult.Open,
                ServiceState.Failed or ServiceState.Skipped or ServiceState.Exited => GateResult.Never,
                _ => GateResult.Pending,
            },
            DependencyCondition.Started => d.State switch
            {
                ServiceState.Running => GateResult.Open,
                ServiceState.Succeeded => GateResult.Open,
                ServiceState.Stopping when d.StoppingForFailure => GateResult.Pending,
                ServiceState.Failed or ServiceState.Skipped or ServiceState.Exited or ServiceState.Stopping => GateResult.Never,
                _ => GateResult.Pending,
            },
            DependencyCondition.Completed => d.State switch
            {
                ServiceState.Succeeded or ServiceState.Exited => GateResult.Open,
                ServiceState.Failed => d.LastExit is null ? GateResult.Never : GateResult.Open,
                ServiceState.Skipped => GateResult.Never,
                _ => GateResult.Pending,
            },
            DependencyCondition.CompletedSuccessfully => d.State switch
            {
                ServiceState.Succeeded => GateResult.Open,
                // A longrun that ended on its own with a success code; not one Corral stopped.
                ServiceState.Exited when !oneshot && d.Goal.Kind == GoalKind.Up && d.LastExit is { WasSignaled: false } e && d.Spec.SuccessExitCodes.Contains(e.Code) => GateResult.Open,
                ServiceState.Failed or ServiceState.Skipped or ServiceState.Exited => GateResult.Never,
                _ => GateResult.Pending,
            },
            _ => GateResult.Pending,
        };
    }

    static string Describe(ServiceRecord d) => d.State switch
    {
        ServiceState.Failed => $"failed ({d.Reason})",
        ServiceState.Skipped => "was skipped",
        ServiceState.Exited => $"has exited ({d.LastExit})",
        ServiceState.Stopping => "is stopping",
        _ => d.State.ToString().ToLowerInvariant(),
    };

    static string Words(DependencyCondition c) => c switch
    {
        DependencyCondition.Started => "started",
        DependencyCondition.Ready => "ready",
        DependencyCondition.Healthy => "healthy",
        DependencyCondition.Completed => "completed",
        _ => "completed successfully",
    };
}
