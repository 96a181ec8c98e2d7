using Corral.Core.Model;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Shutdown: services stop in reverse dependency order (a service stops once everything that
/// depends on it is down), then every leftover process is swept (TERM, grace, KILL), then exit.
/// The whole shutdown is bounded by shutdown_timeout. A second SIGINT (or the deadline) kills
/// everything at once.
/// </summary>
internal sealed class ShutdownSequence
{
    /// <summary>The same INT often arrives twice at once (sent to Corral and to its process group): only a later one means "now".</summary>
    static readonly TimeSpan SecondInterrupt = TimeSpan.FromMilliseconds(500);

    TimeSpan requestedAt = TimeSpan.MaxValue;
    TimeSpan deadline;
    bool sweeping, finished;

    public bool Begun => ExitCode is not null;

    /// <summary>The code Corral will exit with, once shutdown has begun.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>What began the shutdown, and so decided the exit code, in words.</summary>
    public string? Why { get; private set; }

    /// <summary>A person asked (a signal, a request): the first ask begins; a later SIGINT kills everything.</summary>
    public void Requested(Orchestrator o, string why, bool interrupt, Decision d)
    {
        if (!Begun)
        {
            Begin(o, 0, why, d);
            requestedAt = d.Now;
        }
        else if (interrupt && d.Now - requestedAt >= SecondInterrupt)
            KillEverything(o, "second SIGINT: killing every process now", d);
        else d.Debug(null, "shutdown request: already shutting down");
    }

    public void Begin(Orchestrator o, int exitCode, string why, Decision d)
    {
        if (Begun) return;
        d.ShuttingDown = true;
        ExitCode = exitCode;
        Why = why;
        deadline = d.Now + o.Plan.Config.ShutdownTimeout;
        if (exitCode == 0) d.Info(null, why); else d.Error(null, why);
        d.Add(new ArmTimer(new TimerKey(TimerKind.ShutdownDeadline), deadline));
        foreach (var r in o.All.ToList())
        {
            if (r.State == ServiceState.Backoff)
            {
                // Backoff -> Exited: the pending restart is called off.
                o.StopWithoutProcess(r, null, d);
            }
            else if (r.State == ServiceState.Waiting)
            {
                // Waiting -> Skipped, with the real reason when a dependency already ruled it out.
                if (DependencyGate.Of(r, n => o[n], out var reason) == GateResult.Never) o.Skip(r, reason, d);
                else
                {
                    ServiceMachine.Fire(r, ServiceInput.Skip, d);
                    r.Reason = "shutting down";
                }
            }
        }
        Continue(o, d);
    }

    public void Continue(Orchestrator o, Decision d)
    {
        if (!Begun || sweeping) return;
        foreach (var name in o.Plan.StopOrder)
        {
            if (!o.TryGet(name, out var r)) continue;
            var undo = r.State == ServiceState.Succeeded && !r.Spec.DownCommand.IsEmpty;
            if (r.State != ServiceState.Running && !undo) continue;
            // A service stops only once every service that depends on it is down, and (supervisord's
            // priority) every service of a higher priority number.
            if (o.DependentsOf(r.Name).Any(dep => o.TryGet(dep, out var dr) && dr.NeedsBringingDown)) continue;
            if (o.All.Any(other => other.IsUp && other.Spec.Priority > r.Spec.Priority)) continue;
            if (r.Goal.Kind == GoalKind.Up) r.Goal = Goal.Down;
            // Succeeded -> Finishing: s6-rc brings a oneshot down by running its down command.
            if (undo) o.BringDown(r, d);
            else o.Stop(r, "shutting down", d);
        }
        if (o.All.Any(r => r.NeedsBringingDown)) return;

        // Every service is down: sweep what is left of their process trees.
        sweeping = true;
        d.Debug(null, "all services stopped; sweeping leftover processes");
        d.Add(new SignalRemaining(Signals.SIGTERM));
        d.Add(new SignalRemaining(Signals.SIGCONT));
        var grace = deadline - d.Now;
        // The sweep's grace at most: services had their own stop timeouts, what is left now are strays.
        if (grace > o.Plan.Config.SweepGrace) grace = o.Plan.Config.SweepGrace;
        if (grace < TimeSpan.Zero) grace = TimeSpan.Zero;
        d.Add(new ArmTimer(new TimerKey(TimerKind.SweepDeadline), d.Now + grace));
        d.Add(new CheckChildren());
    }

    /// <summary>The reaper found no child at all: done once sweeping.</summary>
    public void NoChildrenLeft(Decision d)
    {
        if (sweeping) Finish(d);
    }

    public void SweepDeadline(Decision d)
    {
        if (!sweeping || finished) return;
        d.Warn(null, "leftover processes did not exit: sending SIGKILL");
        d.Add(new SignalRemaining(Signals.SIGKILL));
        d.Add(new ArmTimer(new TimerKey(TimerKind.FinalExit), d.Now + TimeSpan.FromSeconds(1)));
        d.Add(new CheckChildren());
    }

    public void KillEverything(Orchestrator o, string why, Decision d)
    {
        if (!Begun)
        {
            ExitCode = 1;
            Why = why;
            deadline = d.Now;
        }
        if (finished) return;
        d.Warn(null, why);
        foreach (var r in o.All.Where(r => r.Pid > 0))
        {
            if (r.Goal.Kind == GoalKind.Up) r.Goal = Goal.Down;
            d.Add(new SignalService(r.Name, r.Group, Signals.SIGKILL, r.MainOutsideGroup ? r.Pid : 0));
        }
        sweeping = true;
        d.Add(new SignalRemaining(Signals.SIGKILL));
        d.Add(new ArmTimer(new TimerKey(TimerKind.FinalExit), d.Now + TimeSpan.FromSeconds(1)));
        d.Add(new CheckChildren());
    }

    public void Finish(Decision d)
    {
        if (!Begun || finished) return;
        finished = true;
        d.Debug(null, $"exiting with code {ExitCode}");
        d.Add(new Exit(ExitCode!.Value));
    }
}
