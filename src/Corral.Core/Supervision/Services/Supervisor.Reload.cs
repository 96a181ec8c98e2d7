using Corral.Core.Planning;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Reload: the new plan replaces the old; services only in the old one are stopped and
/// forgotten, changed ones are stopped and started again with their new settings, new ones
/// start when their dependencies allow, and unchanged ones are not touched (same process).
/// The config was read and compiled before this event, so a broken one never gets here.
/// </summary>
public sealed partial class Supervisor
{
    void OnReload(Plan next)
    {
        if (shutdown is not null)
        {
            Warn(null, "reload ignored: shutting down");
            return;
        }
        var diff = PlanDiff.Between(plan, next);
        plan = next;
        Info(null, $"reloaded: {diff.Added.Count} added, {diff.Removed.Count} removed, {diff.Changed.Count} changed, {diff.Unchanged.Count} unchanged");

        foreach (var name in diff.Unchanged) records[name].Spec = next.Service(name);
        foreach (var name in diff.Removed)
        {
            var r = records[name];
            r.Retiring = true;
            Retire(r, "removed from the config");
        }
        foreach (var name in diff.Changed)
        {
            var r = records[name];
            r.Replacement = next.Service(name);
            var fields = string.Join(", ", PlanDiff.ChangedFields(r.Spec, r.Replacement));
            Info(name, $"changed: {fields}");
            Retire(r, $"changed in the config ({fields})");
        }
        foreach (var name in diff.Added)
        {
            if (records.TryGetValue(name, out var leaving) && leaving.Retiring)
            {
                // Removed by an earlier reload and still stopping: it comes back as a change.
                leaving.Retiring = false;
                leaving.Replacement = next.Service(name);
                Info(name, "added again: starts once its old process has stopped");
                continue;
            }
            records[name] = new ServiceRecord(next.Service(name));
            Info(name, "added");
        }
        StartWhatCan();
    }

    /// <summary>Stops a service for a reload, or, when nothing runs, finishes its reload at once.</summary>
    void Retire(ServiceRecord r, string why)
    {
        if (r.State == ServiceState.Backoff) effects.Add(new CancelTimer(new TimerKey(TimerKind.Restart, r.Name)));
        if (r.IsUp && r.Pid > 0 && r.State != ServiceState.Stopping)
        {
            StopService(r, why);
            return;
        }
        // Already stopping (for a failed start, say): it must not be restarted when it exits.
        if (r.IsUp)
        {
            r.StopIntended = true;
            if (r.State == ServiceState.Starting) r.Reason = why;
            return;
        }
        FinishReloadOf(r);
    }

    /// <summary>A stopped service leaves (removed) or comes back as a new record (changed).</summary>
    void FinishReloadOf(ServiceRecord r)
    {
        // Only the record now under that name may be replaced or removed.
        if (!records.TryGetValue(r.Name, out var current) || !ReferenceEquals(current, r)) return;
        if (r.Retiring)
        {
            records.Remove(r.Name);
            Info(r.Name, "removed");
        }
        else if (r.Replacement is { } spec)
        {
            var next = new ServiceRecord(spec);
            records[r.Name] = next;
            if (r.HeldDown)
            {
                // Stopped by request: new settings do not start it; a start request will.
                next.State = ServiceState.Exited;
                next.HeldDown = true;
                next.StopIntended = true;
                next.Reason = r.Reason;
                Info(r.Name, "has its new settings and stays stopped by request");
            }
            else Info(r.Name, "will start with its new settings");
        }
    }
}
