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
    public static bool Same(ServiceSpec a, ServiceSpec b) => a.Name == b.Name && ChangedFields(a, b).Count == 0;

    /// <summary>
    /// The settings (by their names in corral.yaml) that differ between two specs of a service,
    /// for a reload to say what changed. Groups are left out: they change names, not processes.
    /// </summary>
    public static IReadOnlyList<string> ChangedFields(ServiceSpec a, ServiceSpec b)
    {
        (string Field, bool Same)[] fields =
        [
            ("command", a.Command.SequenceEqual(b.Command)),
            ("shell", a.Shell == b.Shell),
            ("type", a.Type == b.Type),
            // As declared: scaling a service it depends on (more or fewer copies) is no change to it.
            ("depends_on", DependsAsDeclared(a).SequenceEqual(DependsAsDeclared(b))),
            ("restart", a.Restart == b.Restart),
            ("backoff", a.Backoff == b.Backoff),
            ("max_restarts", a.MaxRestarts == b.MaxRestarts),
            ("restart_window", a.RestartWindow == b.RestartWindow),
            ("success_exit_codes", a.SuccessExitCodes.SetEquals(b.SuccessExitCodes)),
            ("startsecs", a.StartSeconds == b.StartSeconds),
            ("startretries", a.StartRetries == b.StartRetries),
            ("on_failure", a.OnFailure == b.OnFailure),
            ("main", a.Main == b.Main),
            ("stop", a.Stop == b.Stop),
            ("user", a.User == b.User),
            ("group", a.Group == b.Group),
            ("working_dir", a.WorkingDir == b.WorkingDir),
            ("umask", a.Umask == b.Umask),
            ("rlimits", a.Limits.SequenceEqual(b.Limits)),
            ("environment", a.Environment.SequenceEqual(b.Environment)),
            ("env_file", a.EnvFiles.SequenceEqual(b.EnvFiles)),
            ("inherit_env", a.InheritEnv == b.InheritEnv),
            ("logs", a.Logs == b.Logs),
            ("stdout_to", a.StdoutTo == b.StdoutTo),
            ("reads_pipe", a.ReadsPipe == b.ReadsPipe),
            ("ready", a.Ready == b.Ready),
            ("ready_timeout", a.ReadyTimeout == b.ReadyTimeout),
            ("watchdog", a.Watchdog == b.Watchdog),
            ("startup_probe", SameProbe(a.StartupProbe, b.StartupProbe)),
            ("readiness_probe", SameProbe(a.ReadinessProbe, b.ReadinessProbe)),
            ("liveness_probe", SameProbe(a.LivenessProbe, b.LivenessProbe)),
            ("eventlistener", a.Listener == b.Listener),
            ("stdout_events_enabled", a.StdoutEvents == b.StdoutEvents),
            ("stderr_events_enabled", a.StderrEvents == b.StderrEvents),
            ("finish", a.FinishCommand.SequenceEqual(b.FinishCommand)),
            ("down", a.DownCommand.SequenceEqual(b.DownCommand)),
            ("timeout-finish", a.FinishTimeout == b.FinishTimeout),
        ];
        return [.. fields.Where(f => !f.Same).Select(f => f.Field)];
    }

    static IEnumerable<(string, DependencyCondition)> DependsAsDeclared(ServiceSpec s) =>
        s.DependsOn.Select(d => (d.Via ?? d.Service, d.Condition)).Distinct();

    static bool SameProbe(ProbeSpec? a, ProbeSpec? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Kind == b.Kind && a.Command.SequenceEqual(b.Command) && a.Host == b.Host && a.Port == b.Port && a.Path == b.Path
              && a.Headers.SequenceEqual(b.Headers) && a.InitialDelay == b.InitialDelay && a.Period == b.Period
              && a.Timeout == b.Timeout && a.SuccessThreshold == b.SuccessThreshold && a.FailureThreshold == b.FailureThreshold;
}
