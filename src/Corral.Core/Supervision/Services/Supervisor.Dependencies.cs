using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>Dependency gating: when each condition is met, pending, or can no longer be met.</summary>
public sealed partial class Supervisor
{
    enum GateResult { Open, Pending, Never }

    GateResult Gate(ServiceRecord r, out string reason)
    {
        reason = "";
        var result = GateResult.Open;
        foreach (var dep in r.Spec.DependsOn)
        {
            var d = records[dep.Service];
            var condition = Condition(d, dep.Condition);
            // A service stopped by request may be started again at any time, and one stopping to
            // be started again (a restart request, a reload's change) will be: its dependents wait.
            if (condition == GateResult.Never && (d.HeldDown || d.State == ServiceState.Stopping && WouldComeBack(d)))
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
                ServiceState.Stopping when d.StoppingForRestart => GateResult.Pending,
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
                ServiceState.Exited when !oneshot && d.LastExit is { WasSignaled: false } e && d.Spec.SuccessExitCodes.Contains(e.Code) && !d.StopIntended => GateResult.Open,
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

    /// <summary>Whether dependent needs dependency to have run successfully (or to be up).</summary>
    bool NeedsSuccessOf(string dependent, string dependency) =>
        records[dependent].Spec.DependsOn.Any(d => d.Service == dependency && d.Condition != DependencyCondition.Completed);

    IEnumerable<string> DependentsOf(string name) =>
        plan.Dependents.TryGetValue(name, out var list) ? list : [];

    /// <summary>Every service that depends on name, directly or not, nearest first.</summary>
    IEnumerable<string> TransitiveDependents(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(DependentsOf(name));
        while (queue.TryDequeue(out var next))
        {
            if (!seen.Add(next)) continue;
            yield return next;
            foreach (var d in DependentsOf(next)) queue.Enqueue(d);
        }
    }
}
