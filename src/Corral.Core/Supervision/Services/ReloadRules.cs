using Corral.Core.Planning;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Reload: the new plan replaces the old; services only in the old one get the goal Remove,
/// changed ones Replace (stopped, then started again with their new settings), new ones start
/// when their dependencies allow, and unchanged ones are not touched (same process). The config
/// was read and compiled before this event, so a broken one never gets here.
/// </summary>
internal sealed class ReloadRules(Orchestrator o)
{
    public void OnReload(Plan next, Decision d)
    {
        if (o.Shutdown.Begun)
        {
            d.Warn(null, "reload ignored: shutting down");
            return;
        }
        var diff = PlanDiff.Between(o.Plan, next);
        o.Plan = next;
        d.Info(null, $"reloaded: {diff.Added.Count} added, {diff.Removed.Count} removed, {diff.Changed.Count} changed, {diff.Unchanged.Count} unchanged");

        foreach (var name in diff.Unchanged) o[name].Spec = next.Service(name);
        foreach (var name in diff.Removed)
        {
            var r = o[name];
            r.Goal = Goal.Remove;
            Retire(r, "removed from the config", d);
        }
        foreach (var name in diff.Changed)
        {
            var r = o[name];
            var spec = next.Service(name);
            var fields = string.Join(", ", PlanDiff.ChangedFields(r.Spec, spec));
            d.Info(name, $"changed: {fields}");
            r.Goal = Goal.Replace(spec, thenHeld: r.Goal.IsHeld);
            Retire(r, $"changed in the config ({fields})", d);
        }
        foreach (var name in diff.Added)
        {
            if (o.TryGet(name, out var leaving) && leaving.Goal.Kind == GoalKind.Remove)
            {
                // Removed by an earlier reload and still stopping: it comes back as a change.
                leaving.Goal = Goal.Replace(next.Service(name));
                d.Info(name, "added again: starts once its old process has stopped");
                continue;
            }
            o.Add(ServiceRecord.AtBoot(next.Service(name)));
            d.Info(name, "added");
        }
        o.StartWhatCan(d);
    }

    /// <summary>Stops a service for a reload, or, when nothing runs, finishes its reload at once.</summary>
    void Retire(ServiceRecord r, string why, Decision d)
    {
        switch (r.State)
        {
            case ServiceState.Running:
                o.Stop(r, why, d);
                return;
            case ServiceState.Starting:
                // Stopped as soon as its pid is known.
                r.Reason = why;
                return;
            case ServiceState.Stopping or ServiceState.Finishing:
                // Already stopping (for a failed start, say): its goal says it must not be restarted.
                return;
            case ServiceState.Backoff:
                o.StopWithoutProcess(r, null, d);
                break;
        }
        o.AfterStop(r, d);
    }
}
