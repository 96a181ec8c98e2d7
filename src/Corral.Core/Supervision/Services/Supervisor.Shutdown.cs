using Corral.Core.Model;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Shutdown: services stop in reverse dependency order (a service stops once everything that
/// depends on it is down), then every leftover process is swept (TERM, grace, KILL), then exit.
/// The whole shutdown is bounded by shutdown_timeout.
/// </summary>
public sealed partial class Supervisor
{
    sealed class ShutdownState(int exitCode)
    {
        public int ExitCode { get; } = exitCode;
        public bool Sweeping { get; set; }
        public bool Finished { get; set; }
        public TimeSpan Deadline { get; set; }
    }

    ShutdownState? shutdown;

    /// <summary>The exit code Corral will end with, once shutdown has begun.</summary>
    public int? ExitCode => shutdown?.ExitCode;

    void BeginShutdown(int exitCode, string why)
    {
        if (shutdown is not null) return;
        shutdown = new ShutdownState(exitCode) { Deadline = now + plan.Config.ShutdownTimeout };
        if (exitCode == 0) Info(null, why); else Error(null, why);
        effects.Add(new ArmTimer(new TimerKey(TimerKind.ShutdownDeadline), shutdown.Deadline));
        foreach (var r in records.Values)
        {
            if (r.State == ServiceState.Backoff)
            {
                effects.Add(new CancelTimer(new TimerKey(TimerKind.Restart, r.Name)));
                r.State = ServiceState.Exited;
            }
            else if (r.State == ServiceState.Waiting)
            {
                // Waiting -> Skipped, with the real reason when a dependency already ruled it out.
                r.State = ServiceState.Skipped;
                if (Gate(r, out var reason) == GateResult.Never)
                {
                    r.Reason = reason;
                    Warn(r.Name, $"skipped: {reason}");
                }
                else r.Reason = "shutting down";
            }
        }
        ContinueShutdown();
    }

    void ContinueShutdown()
    {
        if (shutdown is null || shutdown.Sweeping) return;
        foreach (var name in plan.StopOrder)
        {
            var r = records[name];
            if (r.State != ServiceState.Running) continue;
            // A service stops only once every service that depends on it is down.
            if (DependentsOf(r.Name).Any(d => records[d].IsUp)) continue;
            StopService(r, "shutting down");
        }
        if (records.Values.Any(r => r.IsUp)) return;

        // Every service is down: sweep what is left of their process trees.
        shutdown.Sweeping = true;
        effects.Add(new Log(LogLevel.Debug, null, "all services stopped; sweeping leftover processes"));
        effects.Add(new SignalRemaining(Signals.SIGTERM));
        effects.Add(new SignalRemaining(Signals.SIGCONT));
        var grace = shutdown.Deadline - now;
        if (grace > TimeSpan.FromSeconds(2)) grace = TimeSpan.FromSeconds(2);
        if (grace < TimeSpan.Zero) grace = TimeSpan.Zero;
        effects.Add(new ArmTimer(new TimerKey(TimerKind.SweepDeadline), now + grace));
        effects.Add(new CheckChildren());
    }

    void OnNoChildren()
    {
        if (shutdown is { Sweeping: true }) Finish();
    }

    void OnSweepDeadline()
    {
        if (shutdown is not { Sweeping: true, Finished: false }) return;
        Warn(null, "leftover processes did not exit: sending SIGKILL");
        effects.Add(new SignalRemaining(Signals.SIGKILL));
        effects.Add(new ArmTimer(new TimerKey(TimerKind.FinalExit), now + TimeSpan.FromSeconds(1)));
        effects.Add(new CheckChildren());
    }

    void KillEverything(string why)
    {
        shutdown ??= new ShutdownState(1) { Deadline = now };
        if (shutdown.Finished) return;
        Warn(null, why);
        foreach (var r in records.Values.Where(r => r.Pid > 0))
        {
            r.StopIntended = true;
            effects.Add(new SignalService(r.Name, r.Group, Signals.SIGKILL, r.Pid));
        }
        shutdown.Sweeping = true;
        effects.Add(new SignalRemaining(Signals.SIGKILL));
        effects.Add(new ArmTimer(new TimerKey(TimerKind.FinalExit), now + TimeSpan.FromSeconds(1)));
        effects.Add(new CheckChildren());
    }

    void Finish()
    {
        if (shutdown is null || shutdown.Finished) return;
        shutdown.Finished = true;
        effects.Add(new Log(LogLevel.Debug, null, $"exiting with code {shutdown.ExitCode}"));
        effects.Add(new Exit(shutdown.ExitCode));
    }
}
