using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Supervision.Services;

/// <summary>
/// Overview: the orchestration around the per-service machines. It owns the records, sets each
/// service's goal and turns what happens into <see cref="ServiceMachine"/> inputs: which service
/// may start (dependency gating), what an exit means (<see cref="ExitPolicy"/>), what a failure
/// does to the rest (on_failure), and what a goal asks for once a service is down (restart,
/// removal, replacement). Requests, reloads, readiness and shutdown are their own types that
/// act through it.
/// </summary>
internal sealed class Orchestrator(Plan plan)
{
    readonly Dictionary<string, ServiceRecord> records = plan.StartOrder.ToDictionary(s => s.Name, ServiceRecord.AtBoot, StringComparer.Ordinal);
    readonly Dictionary<int, ServiceRecord> byPid = [];
    readonly Dictionary<int, ServiceRecord> finishers = [];

    public Plan Plan { get; set; } = plan;
    public ShutdownSequence Shutdown { get; } = new();
    public int ReapedOrphans { get; private set; }

    /// <summary>The records in start order, then any being removed by a reload.</summary>
    public IEnumerable<ServiceRecord> Services =>
        Plan.StartOrder.Where(s => records.ContainsKey(s.Name)).Select(s => records[s.Name])
            .Concat(records.Values.Where(r => r.Goal.Kind == GoalKind.Remove));

    public IEnumerable<ServiceRecord> All => records.Values;
    public ServiceRecord this[string name] => records[name];
    public bool TryGet(string name, out ServiceRecord record) => records.TryGetValue(name, out record!);

    /// <summary>Whether this record is still the one under its name (a reload may have replaced it).</summary>
    public bool IsCurrent(ServiceRecord r) => records.TryGetValue(r.Name, out var current) && ReferenceEquals(current, r);

    public void Add(ServiceRecord r) => records[r.Name] = r;
    public void Forget(ServiceRecord r) => records.Remove(r.Name);

    /// <summary>Starts every Waiting service whose dependencies are met; skips those that never can be.</summary>
    public void StartWhatCan(Decision d)
    {
        if (Shutdown.Begun) return;
        bool changed;
        do
        {
            changed = false;
            foreach (var spec in Plan.StartOrder)
            {
                // A Waiting service that is held (autostart off) waits for a person, not its dependencies.
                if (!records.TryGetValue(spec.Name, out var r) || r.State != ServiceState.Waiting || r.Goal.Kind != GoalKind.Up) continue;
                switch (DependencyGate.Of(r, n => records[n], out var reason))
                {
                    case GateResult.Open when r.Spec.Type == ServiceType.Oneshot && r.Spec.Command.IsEmpty:
                        // Waiting -> Succeeded: nothing to run up (its down command is what it is for).
                        ServiceMachine.Fire(r, ServiceInput.ExitCompleted, d);
                        changed = true;
                        break;
                    case GateResult.Open:
                        // Waiting -> Starting
                        ServiceMachine.Fire(r, ServiceInput.Start, d);
                        break;
                    case GateResult.Never:
                        Skip(r, reason, d);
                        changed = true;
                        break;
                }
            }
        } while (changed);
    }

    /// <summary>Waiting|Backoff -> Skipped.</summary>
    public void Skip(ServiceRecord r, string why, Decision d)
    {
        ServiceMachine.Fire(r, ServiceInput.Skip, d);
        r.Reason = why;
        d.Warn(r.Name, $"skipped: {why}");
    }

    public void OnSpawned(Spawned s, Decision d, ReadinessRules readiness)
    {
        if (!records.TryGetValue(s.Service, out var r) || r.State != ServiceState.Starting) return;
        if (s.Errno != 0)
        {
            d.Error(r.Name, $"cannot start: {s.Reason ?? ErrnoText(s.Errno)}");
            r.StartedAt = d.Now;
            r.Group = 0;
            HandleExit(r, ExitStatus.Exited(Init.InitAutomaton.ExecFailureCode(s.Errno)), d);
            return;
        }
        // Starting -> Running
        ServiceMachine.Fire(r, ServiceInput.Spawned, d);
        r.Pid = s.Pid;
        r.Group = s.Pid;
        r.MainOutsideGroup = false;
        r.FormerPids.Clear();
        r.StartedAt = d.Now;
        byPid[s.Pid] = r;
        d.Info(r.Name, r.Restarts == 0 ? $"started (pid {s.Pid})" : $"restarted (pid {s.Pid}, restart {r.Restarts})");
        if (Shutdown.Begun)
        {
            r.Goal = Goal.Down;
            Stop(r, "shutting down", d);
            return;
        }
        if (r.Goal.Kind != GoalKind.Up)
        {
            // Its goal changed (a stop request, a reload) while its spawn was under way.
            Stop(r, r.Reason ?? "no longer wanted", d);
            return;
        }
        readiness.Begin(r, d);
        StartWhatCan(d);
    }

    static string ErrnoText(int errno) => errno switch
    {
        2 => "no such file or directory",
        13 => "permission denied",
        20 => "not a directory",
        21 => "is a directory",
        8 => "exec format error",
        _ => $"errno {errno}",
    };

    /// <summary>The main process named with MAINPID= (Group: its process group, as the runtime found it).</summary>
    public void MainProcessMoved(ServiceRecord r, int main, int group, Decision d)
    {
        if (main <= 1 || main == r.Pid || byPid.ContainsKey(main)) return;
        r.FormerPids.Add(r.Pid);
        r.Pid = main;
        r.MainOutsideGroup = group > 0 && group != r.Group;
        byPid[main] = r;
        d.Info(r.Name, $"main process is now pid {main}");
    }

    public void OnExited(ProcessExited x, Decision d)
    {
        if (finishers.Remove(x.Pid, out var finishing))
        {
            FinishEnded(finishing, x.Status, d);
            return;
        }
        if (byPid.TryGetValue(x.Pid, out var former) && former.FormerPids.Remove(x.Pid))
        {
            // The process that handed over with MAINPID= is gone; the service lives on.
            byPid.Remove(x.Pid);
            d.Debug(former.Name, $"former main process {x.Pid} exited ({x.Status})");
            return;
        }
        if (!byPid.Remove(x.Pid, out var r))
        {
            ReapedOrphans++;
            d.Debug(null, $"reaped orphan pid {x.Pid} ({x.Status})");
            return;
        }
        HandleExit(r, x.Status, d);
    }

    /// <summary>The service's process is gone (or never started): what its exit means, by <see cref="ExitPolicy"/>.</summary>
    void HandleExit(ServiceRecord r, ExitStatus status, Decision d)
    {
        var wasStopping = r.State == ServiceState.Stopping;
        var forFailure = r.StoppingForFailure && !Shutdown.Begun;
        var (input, why) = ExitPolicy.Classify(r, status, Shutdown.Begun, d.Now);
        ReadinessRules.End(r, d);
        r.Pid = 0;
        foreach (var old in r.FormerPids) byPid.Remove(old);
        r.FormerPids.Clear();
        r.LastExit = status;
        var asked = wasStopping || r.Goal.Kind != GoalKind.Up;
        if (r.Spec.Type == ServiceType.Longrun && !r.Spec.FinishCommand.IsEmpty && r.State is ServiceState.Running or ServiceState.Stopping)
        {
            // Running|Stopping -> Finishing: s6's finish gets the exit code (256 when killed) and the signal.
            r.Pending = new PendingExit(input, why, status, asked, forFailure);
            r.FinishArgv = [.. r.Spec.FinishCommand,
                (status.WasSignaled ? 256 : status.Code).ToString(System.Globalization.CultureInfo.InvariantCulture),
                (status.WasSignaled ? status.Signal : 0).ToString(System.Globalization.CultureInfo.InvariantCulture)];
            d.Info(r.Name, $"{status}; running its finish script");
            ServiceMachine.Fire(r, ServiceInput.Finish, d);
            return;
        }
        Carry(r, input, why, status, asked, forFailure, d);
    }

    /// <summary>A finish process was spawned (or could not be).</summary>
    public void OnFinishSpawned(FinishSpawned s, Decision d)
    {
        if (!records.TryGetValue(s.Service, out var r) || r.State != ServiceState.Finishing) return;
        if (s.Errno != 0)
        {
            d.Warn(r.Name, $"cannot run its {(r.Pending?.Input == ServiceInput.Undo ? "down command" : "finish script")}: {s.Reason ?? ErrnoText(s.Errno)}");
            FinishEnded(r, ExitStatus.Exited(Init.InitAutomaton.ExecFailureCode(s.Errno)), d);
            return;
        }
        r.FinishPid = s.Pid;
        finishers[s.Pid] = r;
    }

    /// <summary>Finishing -> what the exit before it meant: 125 from a finish script keeps the service down, as s6 does.</summary>
    void FinishEnded(ServiceRecord r, ExitStatus finish, Decision d)
    {
        if (r.State != ServiceState.Finishing || r.Pending is not { } p) return;
        r.Pending = null;
        r.FinishPid = 0;
        if (p.Input == ServiceInput.Undo)
        {
            d.Info(r.Name, $"down command {finish}");
            ServiceMachine.Fire(r, ServiceInput.ExitStopped, d);
            AfterChange(d);
            return;
        }
        d.Debug(r.Name, $"finish script {finish}");
        var (input, why, asked) = (p.Input, p.Why, p.Asked);
        if (Shutdown.Begun || r.Goal.Kind != GoalKind.Up && input != ServiceInput.ExitStopped && !r.Spec.Main)
            (input, asked) = (ServiceInput.ExitStopped, true);
        else if (finish is { WasSignaled: false, Code: 125 } && input == ServiceInput.ExitCrashed)
        {
            (input, why) = (ServiceInput.ExitEnded, "its finish script exited 125: not restarted");
            r.Reason = why;
            d.Info(r.Name, why);
        }
        Carry(r, input, why, p.Status, asked, p.ForFailure, d);
    }

    /// <summary>Undo: a oneshot's down command runs (at shutdown, once its dependents are down).</summary>
    public void BringDown(ServiceRecord r, Decision d)
    {
        r.Pending = new PendingExit(ServiceInput.Undo, null, r.LastExit ?? ExitStatus.Exited(0), true, false);
        r.FinishArgv = r.Spec.DownCommand;
        d.Debug(r.Name, "running its down command");
        ServiceMachine.Fire(r, ServiceInput.Undo, d);
    }

    /// <summary>What an exit means, carried out (at once, or once its finish script ended).</summary>
    void Carry(ServiceRecord r, ServiceInput input, string? why, ExitStatus status, bool asked, bool forFailure, Decision d)
    {
        switch (input)
        {
            case ServiceInput.ExitStopped:
                // Stopping -> Exited: Corral or a person asked for it, so it is never restarted.
                ServiceMachine.Fire(r, input, d);
                d.Info(r.Name, asked ? $"stopped ({status})" : $"exited ({status})");
                if (asked) AfterStop(r, d);
                AfterChange(d);
                return;
            case ServiceInput.ExitCompleted:
                // Running -> Succeeded
                ServiceMachine.Fire(r, input, d);
                d.Info(r.Name, "completed successfully");
                StartWhatCan(d);
                return;
            case ServiceInput.ExitCrashed:
                // Running|Stopping -> Backoff
                var delay = ExitPolicy.RecordCrash(r, d.Now);
                ServiceMachine.Fire(r, input, d, delay);
                d.Warn(r.Name, $"{status}; restarting in {Durations.Format(delay)}");
                return;
        }
        // Running -> Exited|Failed: the end of it.
        ServiceMachine.Fire(r, input, d);
        if (r.Spec.Main)
        {
            // A main service ending ends everything, with its code.
            if (forFailure)
            {
                Shutdown.Begin(this, ExitPolicy.FailureCode(r), $"main service '{r.Name}' failed: {r.Reason}", d);
                return;
            }
            Shutdown.Begin(this, status.ShellCode, $"main service '{r.Name}' {status}, shutting down", d);
            return;
        }
        if (input == ServiceInput.ExitEnded)
        {
            d.Info(r.Name, $"exited ({status})");
            StartWhatCan(d);
        }
        else Failed(r, why ?? "failed", d);
    }

    /// <summary>The service is Failed: said, and what that failure does to the rest (on_failure).</summary>
    void Failed(ServiceRecord r, string why, Decision d)
    {
        r.Reason = why;
        d.Error(r.Name, $"failed: {why}");
        switch (r.Spec.OnFailure)
        {
            case FailureAction.Shutdown:
                Shutdown.Begin(this, ExitPolicy.FailureCode(r), $"service '{r.Name}' failed and has on_failure: shutdown", d);
                return;
            case FailureAction.StopDependents:
                foreach (var dependent in TransitiveDependents(r.Name))
                {
                    var dr = records[dependent];
                    var because = $"'{r.Name}' failed";
                    if (dr.State is ServiceState.Running or ServiceState.Starting)
                    {
                        dr.Goal = Goal.Down;
                        dr.Reason = because;
                        if (dr.State == ServiceState.Running) Stop(dr, because, d);
                    }
                    else if (dr.State is ServiceState.Waiting or ServiceState.Backoff) Skip(dr, because, d);
                }
                break;
        }
        if (r.Spec.Type == ServiceType.Oneshot && DependentsOf(r.Name).Any(dep => NeedsSuccessOf(dep, r.Name)))
        {
            Shutdown.Begin(this, ExitPolicy.FailureCode(r), $"oneshot '{r.Name}' failed and other services depend on it", d);
            return;
        }
        StartWhatCan(d);
    }

    /// <summary>
    /// Running -> Stopping: the stop signal and CONT to its group, KILL after the timeout. Its goal
    /// says what its exit will mean: a stop (anything but Up) or a failure (Up, see <see cref="StopForFailure"/>).
    /// </summary>
    public void Stop(ServiceRecord r, string why, Decision d)
    {
        r.Reason = why;
        ReadinessRules.End(r, d);
        ServiceMachine.Fire(r, ServiceInput.Stop, d);
        d.Debug(r.Name, $"stopping ({why}): {Signals.NameOf(r.Spec.Stop.Signal)}");
    }

    /// <summary>Backoff|Waiting -> Exited: stopped before it had a process.</summary>
    public void StopWithoutProcess(ServiceRecord r, string? why, Decision d)
    {
        ServiceMachine.Fire(r, ServiceInput.Stop, d);
        if (why is not null) r.Reason = why;
    }

    /// <summary>Running -> Stopping, as a failure: its exit then goes through the restart policy like a crash.</summary>
    public void StopForFailure(ServiceRecord r, string why, Decision d)
    {
        d.Warn(r.Name, $"{why}: stopping it");
        r.Reason = why;
        ReadinessRules.End(r, d);
        ServiceMachine.Fire(r, ServiceInput.Stop, d);
    }

    /// <summary>A service stopped on purpose (or a reload's without a process): what its goal asks for now that its process is gone.</summary>
    public void AfterStop(ServiceRecord r, Decision d)
    {
        if (!IsCurrent(r)) return;
        switch (r.Goal.Kind)
        {
            case GoalKind.Remove:
                records.Remove(r.Name);
                d.Info(r.Name, "removed");
                break;
            case GoalKind.Replace:
                if (r.Goal.ThenHeld)
                {
                    // Stopped by request: new settings do not start it; a start request will.
                    records[r.Name] = ServiceRecord.StoppedByRequest(r.Goal.Next!, r.Reason);
                    d.Info(r.Name, "has its new settings and stays stopped by request");
                }
                else
                {
                    records[r.Name] = ServiceRecord.AtBoot(r.Goal.Next!);
                    d.Info(r.Name, "will start with its new settings");
                }
                break;
            case GoalKind.Restart when !Shutdown.Begun:
                // Exited -> Waiting
                Revive(r, d);
                break;
        }
    }

    /// <summary>Exited|Failed|Skipped|Succeeded|Backoff -> Waiting, goal Up, with a clean slate: a fresh start.</summary>
    public void Revive(ServiceRecord r, Decision d)
    {
        ServiceMachine.Fire(r, ServiceInput.Revive, d);
        r.Goal = Goal.Up;
        r.Reason = null;
        r.Crashes.Clear();
        r.Readiness.Clear();
    }

    /// <summary>After a service went down: the next step of a shutdown, or new starts.</summary>
    public void AfterChange(Decision d)
    {
        if (Shutdown.Begun) Shutdown.Continue(this, d);
        else StartWhatCan(d);
    }

    /// <summary>Whether dependent needs dependency to have run successfully (or to be up).</summary>
    bool NeedsSuccessOf(string dependent, string dependency) =>
        records[dependent].Spec.DependsOn.Any(dep => dep.Service == dependency && dep.Condition != DependencyCondition.Completed);

    public IEnumerable<string> DependentsOf(string name) =>
        Plan.Dependents.TryGetValue(name, out var list) ? list : [];

    /// <summary>Every service that depends on name, directly or not, nearest first.</summary>
    IEnumerable<string> TransitiveDependents(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(DependentsOf(name));
        while (queue.TryDequeue(out var next))
        {
            if (!seen.Add(next)) continue;
            yield return next;
            foreach (var dep in DependentsOf(next)) queue.Enqueue(dep);
        }
    }
}
