using Corral.Core.Model.Services;

namespace Corral.Core.Planning;

/// <summary>What a reload changes: services added, removed, changed, and left as they are.</summary>
public sealed record PlanDiff(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed, IReadOnlyList<string> Unchanged)
{
    public static PlanDiff Between(Plan old, Plan next)
    {
        var oldNames = old.StartOrder.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var nextNames = next.StartOrder.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var both = next.StartOrder.Where(s => oldNames.Contains(s.Name)).ToList();
        return new PlanDiff(
            [.. next.StartOrder.Where(s => !oldNames.Contains(s.Name)).Select(s => s.Name)],
            [.. old.StartOrder.Where(s => !nextNames.Contains(s.Name)).Select(s => s.Name)],
            [.. both.Where(s => !Same(old.Service(s.Name), s)).Select(s => s.Name)],
            [.. both.Where(s => Same(old.Service(s.Name), s)).Select(s => s.Name)]);
    }

    /// <summary>
    /// Whether two specs would run the same service: every setting compared by value, where it
    /// was written (file, line) ignored. A test checks that every property of ServiceSpec is here.
    /// </summary>
    public static bool Same(ServiceSpec a, ServiceSpec b) =>
        a.Name == b.Name && a.Command.SequenceEqual(b.Command) && a.Shell == b.Shell && a.Type == b.Type
        && a.DependsOn.Select(d => (d.Service, d.Condition)).SequenceEqual(b.DependsOn.Select(d => (d.Service, d.Condition)))
        && a.Restart == b.Restart && a.Backoff == b.Backoff && a.MaxRestarts == b.MaxRestarts && a.RestartWindow == b.RestartWindow
        && a.SuccessExitCodes.SetEquals(b.SuccessExitCodes) && a.OnFailure == b.OnFailure && a.Main == b.Main && a.Stop == b.Stop
        && a.User == b.User && a.Group == b.Group && a.WorkingDir == b.WorkingDir && a.Umask == b.Umask
        && a.Limits.SequenceEqual(b.Limits) && a.Environment.SequenceEqual(b.Environment) && a.EnvFiles.SequenceEqual(b.EnvFiles)
        && a.InheritEnv == b.InheritEnv && a.Logs == b.Logs && a.Ready == b.Ready && a.ReadyTimeout == b.ReadyTimeout
        && a.Watchdog == b.Watchdog && SameProbe(a.StartupProbe, b.StartupProbe) && SameProbe(a.ReadinessProbe, b.ReadinessProbe)
        && SameProbe(a.LivenessProbe, b.LivenessProbe);

    static bool SameProbe(ProbeSpec? a, ProbeSpec? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Kind == b.Kind && a.Command.SequenceEqual(b.Command) && a.Host == b.Host && a.Port == b.Port && a.Path == b.Path
              && a.Headers.SequenceEqual(b.Headers) && a.InitialDelay == b.InitialDelay && a.Period == b.Period
              && a.Timeout == b.Timeout && a.SuccessThreshold == b.SuccessThreshold && a.FailureThreshold == b.FailureThreshold;
}
