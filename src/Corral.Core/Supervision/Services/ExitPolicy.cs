using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// What a service's exit means, as one <see cref="ServiceInput"/>: the end of a wanted stop, a
/// completion, a clean end, a crash to restart after a delay, or a failure that stays. Pure: it
/// reads the record (state, goal, crash history), the spec's policies and the time.
/// </summary>
internal static class ExitPolicy
{
    public static (ServiceInput Input, string? Why) Classify(ServiceRecord r, ExitStatus status, bool shuttingDown, TimeSpan now)
    {
        var spec = r.Spec;
        var success = !status.WasSignaled && spec.SuccessExitCodes.Contains(status.Code);
        if (r.StoppingForFailure && !shuttingDown)
        {
            // Corral stopped it for failing to become ready or stay alive: a failure, whatever its exit code.
            if (spec.Main || spec.EffectiveRestart == RestartPolicy.Never) return (ServiceInput.ExitFailed, r.Reason ?? "failed");
            return CrashOrGiveUp(r, status, now);
        }
        if (r.State == ServiceState.Stopping || r.Goal.Kind != GoalKind.Up || shuttingDown) return (ServiceInput.ExitStopped, null);
        if (FailedStart(r))
        {
            // supervisord: an exit before startsecs, whatever its code, is a failed start
            // (STARTING -> BACKOFF), retried startretries times, then given up (FATAL).
            if (r.Spec.StartRetries is { } retries && r.Crashes.FailedStarts + 1 > retries) return (ServiceInput.ExitFailed, ExitedTooQuickly);
            return (ServiceInput.ExitCrashed, status.ToString());
        }
        if (spec.Main) return (success ? ServiceInput.ExitEnded : ServiceInput.ExitFailed, status.ToString());
        if (spec.Type == ServiceType.Oneshot && success) return (ServiceInput.ExitCompleted, null);
        var restart = spec.EffectiveRestart switch
        {
            RestartPolicy.Always => true,
            RestartPolicy.OnFailure => !success,
            _ => false,
        };
        if (!restart) return (success ? ServiceInput.ExitEnded : ServiceInput.ExitFailed, status.ToString());
        return CrashOrGiveUp(r, status, now);
    }

    /// <summary>supervisord's words for a program that never stayed up for startsecs.</summary>
    public const string ExitedTooQuickly = "exited too quickly (process log may have details)";

    /// <summary>With startsecs, a process that exits before it has been up that long failed to start.</summary>
    static bool FailedStart(ServiceRecord r) =>
        r.Spec.Type == ServiceType.Longrun && r.Spec.StartSeconds is { } secs && secs > TimeSpan.Zero && !r.Readiness.StartConfirmed;

    /// <summary>A crash to restart from, unless max_restarts within restart_window are used up.</summary>
    static (ServiceInput, string?) CrashOrGiveUp(ServiceRecord r, ExitStatus status, TimeSpan now)
    {
        var recent = r.Crashes.RestartTimes.Count(t => now - t < r.Spec.RestartWindow);
        if (r.Spec.MaxRestarts is { } max && recent >= max)
            return (ServiceInput.ExitFailed, $"{status}; gave up after {recent} restart{(recent == 1 ? "" : "s")} within {Durations.Format(r.Spec.RestartWindow)}");
        return (ServiceInput.ExitCrashed, status.ToString());
    }

    /// <summary>Records a crash that will be restarted from; the delay before the restart.</summary>
    public static TimeSpan RecordCrash(ServiceRecord r, TimeSpan now)
    {
        var history = r.Crashes;
        if (r.Spec.StartSeconds is not null)
        {
            // supervisord's timing: a failed start waits one second more each time; a process
            // that had started is restarted at once (startsecs is its crash-loop guard).
            history.RestartTimes.RemoveAll(t => now - t >= r.Spec.RestartWindow);
            history.RestartTimes.Add(now);
            if (!FailedStart(r)) return TimeSpan.Zero;
            history.FailedStarts++;
            return TimeSpan.FromSeconds(history.FailedStarts);
        }
        if (now - r.StartedAt >= r.Spec.Backoff.ResetAfter) history.Consecutive = 0;
        history.Consecutive++;
        history.RestartTimes.RemoveAll(t => now - t >= r.Spec.RestartWindow);
        history.RestartTimes.Add(now);
        return r.Spec.Backoff.DelayFor(history.Consecutive);
    }

    /// <summary>The code Corral exits with when this service's failure ends it.</summary>
    public static int FailureCode(ServiceRecord r) => r.LastExit is { } s && s.ShellCode != 0 ? s.ShellCode : 1;
}
