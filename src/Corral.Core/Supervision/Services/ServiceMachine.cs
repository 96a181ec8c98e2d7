using System.Collections.Immutable;
using System.Text;
using Corral.Core.Model;

namespace Corral.Core.Supervision.Services;

/// <summary>What happens to one service, as its state machine sees it.</summary>
public enum ServiceInput
{
    /// <summary>Its dependencies are met (Waiting): start it.</summary>
    Start,
    /// <summary>Its restart delay is over (Backoff).</summary>
    RestartDue,
    /// <summary>Its process runs.</summary>
    Spawned,
    /// <summary>It must go down: its goal changed, or it failed to become ready or stay alive.</summary>
    Stop,
    /// <summary>It outlived its stop timeout.</summary>
    StopTimeout,
    /// <summary>Its process exited (or never started) and that ends a stop Corral or a person wanted.</summary>
    ExitStopped,
    /// <summary>A oneshot exited with a success code.</summary>
    ExitCompleted,
    /// <summary>It exited and is not restarted: a clean end, or a main service's end.</summary>
    ExitEnded,
    /// <summary>It crashed (or failed its start) and its restart policy brings it back after a delay.</summary>
    ExitCrashed,
    /// <summary>It crashed and stays down: no restart policy, or max_restarts reached.</summary>
    ExitFailed,
    /// <summary>A dependency it needs can never be met, or Corral is shutting down before it started.</summary>
    Skip,
    /// <summary>A fresh start was asked for: back to waiting for its dependencies.</summary>
    Revive,
    /// <summary>Its process exited and it has a finish script: that runs before the exit is carried out.</summary>
    Finish,
    /// <summary>A oneshot that succeeded is brought down (shutdown) and has a down command to run.</summary>
    Undo,
    /// <summary>Its finish script (or down command) outlived its time limit.</summary>
    FinishTimeout,
}

/// <summary>What a transition does, beside changing the state.</summary>
public enum ServiceAct
{
    /// <summary>Ask the runtime for its process (Spawn).</summary>
    Spawn,
    /// <summary>Count one automatic restart.</summary>
    CountRestart,
    /// <summary>Its stop signal, then SIGCONT, to its process group (and a main process outside it, and its processes that left the group).</summary>
    SendStop,
    ArmStopTimeout,
    CancelStopTimeout,
    /// <summary>SIGKILL to its process group (and a main process outside it, and its processes that left the group).</summary>
    Kill,
    /// <summary>SIGKILL to what is left of its process group, and of its processes that left the group, once its main process is gone.</summary>
    KillGroup,
    ArmRestart,
    CancelRestart,
    /// <summary>Ask the runtime for its finish script's (or down command's) process (SpawnFinish).</summary>
    SpawnFinish,
    ArmFinishTimeout,
    CancelFinishTimeout,
    /// <summary>SIGKILL to its finish script's process group.</summary>
    KillFinish,
}

/// <summary>One cell of the table. Ignored: legal and does nothing (a timer that outlived its reason).</summary>
public sealed record Transition(ServiceState From, ServiceInput On, ServiceState To, ImmutableArray<ServiceAct> Acts, bool Ignored = false);

/// <summary>
/// Overview: a service's lifecycle as an explicit State × Input → (next state, acts) table, in
/// the spirit of s6-supervise's <c>actions[state][event]</c>. The table is the only place a
/// service's state changes. A pair it does not list is a bug in the caller: it is refused
/// loudly (an error in the log) and the state stays as it was. Deciding which input an event
/// is (what an exit means, whether a start is allowed) belongs to the orchestration around it;
/// carrying out a cell is mechanical. docs/design/supervisor.md shows this table, and a test
/// keeps the two the same.
/// </summary>
public static class ServiceMachine
{
    static readonly ServiceAct[] None = [];

    public static readonly ImmutableArray<Transition> Table = [.. Build()];

    static readonly Dictionary<(ServiceState, ServiceInput), Transition> Cells = Table.ToDictionary(t => (t.From, t.On));

    static IEnumerable<Transition> Build()
    {
        Transition T(ServiceState from, ServiceInput on, ServiceState to, params ServiceAct[] acts) => new(from, on, to, [.. acts]);
        Transition Ignore(ServiceState at, ServiceInput on) => new(at, on, at, [], Ignored: true);
        const ServiceState Waiting = ServiceState.Waiting, Starting = ServiceState.Starting, Running = ServiceState.Running,
            Stopping = ServiceState.Stopping, Backoff = ServiceState.Backoff, Exited = ServiceState.Exited,
            Succeeded = ServiceState.Succeeded, Failed = ServiceState.Failed, Skipped = ServiceState.Skipped,
            Finishing = ServiceState.Finishing;

        yield return T(Waiting, ServiceInput.Start, Starting, ServiceAct.Spawn);
        yield return T(Waiting, ServiceInput.Stop, Exited);
        yield return T(Waiting, ServiceInput.Skip, Skipped);
        // A oneshot with nothing to run up (s6-rc's empty up: only its down does something).
        yield return T(Waiting, ServiceInput.ExitCompleted, Succeeded);

        yield return T(Starting, ServiceInput.Spawned, Running);
        // A spawn that failed is an exit without a process (126 or 127, as a shell says it).
        yield return T(Starting, ServiceInput.ExitStopped, Exited);
        yield return T(Starting, ServiceInput.ExitCompleted, Succeeded);
        yield return T(Starting, ServiceInput.ExitEnded, Exited);
        yield return T(Starting, ServiceInput.ExitCrashed, Backoff, ServiceAct.ArmRestart);
        yield return T(Starting, ServiceInput.ExitFailed, Failed);

        yield return T(Running, ServiceInput.Stop, Stopping, ServiceAct.SendStop, ServiceAct.ArmStopTimeout);
        yield return T(Running, ServiceInput.ExitStopped, Exited);
        yield return T(Running, ServiceInput.ExitCompleted, Succeeded);
        yield return T(Running, ServiceInput.ExitEnded, Exited);
        yield return T(Running, ServiceInput.ExitCrashed, Backoff, ServiceAct.ArmRestart);
        yield return T(Running, ServiceInput.ExitFailed, Failed);

        yield return T(Stopping, ServiceInput.StopTimeout, Stopping, ServiceAct.Kill);
        // Whatever is left of the group had its stop signal already: it goes with the main process.
        yield return T(Stopping, ServiceInput.ExitStopped, Exited, ServiceAct.CancelStopTimeout, ServiceAct.KillGroup);
        yield return T(Stopping, ServiceInput.ExitCrashed, Backoff, ServiceAct.CancelStopTimeout, ServiceAct.KillGroup, ServiceAct.ArmRestart);
        yield return T(Stopping, ServiceInput.ExitFailed, Failed, ServiceAct.CancelStopTimeout, ServiceAct.KillGroup);

        // s6-supervise's finish: runs after every exit of the process; what the exit means
        // (restart, stay down, end) is carried out when it ends.
        yield return T(Running, ServiceInput.Finish, Finishing, ServiceAct.SpawnFinish, ServiceAct.ArmFinishTimeout);
        yield return T(Stopping, ServiceInput.Finish, Finishing, ServiceAct.CancelStopTimeout, ServiceAct.KillGroup, ServiceAct.SpawnFinish, ServiceAct.ArmFinishTimeout);
        // s6-rc's down of a oneshot, at shutdown.
        yield return T(Succeeded, ServiceInput.Undo, Finishing, ServiceAct.SpawnFinish, ServiceAct.ArmFinishTimeout);
        yield return T(Finishing, ServiceInput.FinishTimeout, Finishing, ServiceAct.KillFinish);
        yield return T(Finishing, ServiceInput.ExitStopped, Exited, ServiceAct.CancelFinishTimeout);
        yield return T(Finishing, ServiceInput.ExitEnded, Exited, ServiceAct.CancelFinishTimeout);
        yield return T(Finishing, ServiceInput.ExitCrashed, Backoff, ServiceAct.CancelFinishTimeout, ServiceAct.ArmRestart);
        yield return T(Finishing, ServiceInput.ExitFailed, Failed, ServiceAct.CancelFinishTimeout);

        yield return T(Backoff, ServiceInput.RestartDue, Starting, ServiceAct.CountRestart, ServiceAct.Spawn);
        yield return T(Backoff, ServiceInput.Stop, Exited, ServiceAct.CancelRestart);
        yield return T(Backoff, ServiceInput.Skip, Skipped, ServiceAct.CancelRestart);
        yield return T(Backoff, ServiceInput.Revive, Waiting, ServiceAct.CancelRestart);

        foreach (var done in new[] { Exited, Succeeded, Failed, Skipped })
            yield return T(done, ServiceInput.Revive, Waiting);

        // Timers that outlived their reason (a stop that ended, a restart called off).
        foreach (var state in Enum.GetValues<ServiceState>())
        {
            if (state != Stopping) yield return Ignore(state, ServiceInput.StopTimeout);
            if (state != Backoff) yield return Ignore(state, ServiceInput.RestartDue);
            if (state != Finishing) yield return Ignore(state, ServiceInput.FinishTimeout);
        }
    }

    /// <summary>The cell for this pair, or null when the pair is illegal.</summary>
    public static Transition? Find(ServiceState state, ServiceInput input) => Cells.GetValueOrDefault((state, input));

    /// <summary>
    /// Moves the service by its table cell and carries out the cell's acts. An illegal pair is
    /// refused: said as an error, nothing changes, false. restartDelay: for ArmRestart.
    /// </summary>
    internal static bool Fire(ServiceRecord r, ServiceInput input, Decision d, TimeSpan restartDelay = default)
    {
        if (Find(r.State, input) is not { } cell)
        {
            d.Error(r.Name, $"internal error: '{input}' is not allowed while {Health.Words(r.State)}; ignored");
            return false;
        }
        if (cell.Ignored) return false;
        var from = r.State;
        r.State = cell.To;
        d.Events?.Moved(r, from, d);
        foreach (var act in cell.Acts) Carry(r, act, d, restartDelay);
        return true;
    }

    static void Carry(ServiceRecord r, ServiceAct act, Decision d, TimeSpan restartDelay)
    {
        var outside = r.MainOutsideGroup ? r.Pid : 0;
        switch (act)
        {
            case ServiceAct.Spawn:
                d.Add(new Spawn(r.Name));
                break;
            case ServiceAct.CountRestart:
                r.Restarts++;
                break;
            case ServiceAct.SendStop:
                d.Add(new SignalService(r.Name, r.Group, r.Spec.Stop.Signal, outside, Strays: !d.ShuttingDown));
                if (r.Spec.Stop.Signal != Signals.SIGCONT) d.Add(new SignalService(r.Name, r.Group, Signals.SIGCONT, outside, Strays: !d.ShuttingDown));
                break;
            case ServiceAct.ArmStopTimeout:
                d.Arm(TimerKind.StopTimeout, r.Name, r.Spec.Stop.Timeout);
                break;
            case ServiceAct.CancelStopTimeout:
                d.Cancel(TimerKind.StopTimeout, r.Name);
                break;
            case ServiceAct.Kill:
                d.Add(new SignalService(r.Name, r.Group, Signals.SIGKILL, outside, Strays: !d.ShuttingDown));
                break;
            case ServiceAct.KillGroup:
                if (r.Group > 0) d.Add(new SignalService(r.Name, r.Group, Signals.SIGKILL, Strays: !d.ShuttingDown));
                break;
            case ServiceAct.ArmRestart:
                d.Arm(TimerKind.Restart, r.Name, restartDelay);
                break;
            case ServiceAct.CancelRestart:
                d.Cancel(TimerKind.Restart, r.Name);
                break;
            case ServiceAct.SpawnFinish:
                r.FinishPid = 0;
                d.Add(new SpawnFinish(r.Name, r.FinishArgv));
                break;
            case ServiceAct.ArmFinishTimeout:
                // 0: no limit, as s6 reads timeout-finish.
                if (r.Spec.FinishTimeout > TimeSpan.Zero) d.Arm(TimerKind.FinishTimeout, r.Name, r.Spec.FinishTimeout);
                break;
            case ServiceAct.CancelFinishTimeout:
                d.Cancel(TimerKind.FinishTimeout, r.Name);
                break;
            case ServiceAct.KillFinish:
                if (r.FinishPid > 0) d.Add(new SignalService(r.Name, r.FinishPid, Signals.SIGKILL));
                break;
        }
    }

    /// <summary>The table as docs/design/supervisor.md shows it (a test compares the two).</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| State | Input | Next state | Acts |");
        text.AppendLine("|---|---|---|---|");
        foreach (var t in Table.Where(t => !t.Ignored))
            text.AppendLine($"| {t.From} | {t.On} | {t.To} | {(t.Acts.IsEmpty ? "—" : string.Join(", ", t.Acts))} |");
        var ignored = Table.Where(t => t.Ignored).GroupBy(t => t.On)
            .Select(g => $"{g.Key} in {string.Join(", ", g.Select(t => t.From))}");
        text.AppendLine();
        text.AppendLine($"Ignored (legal, nothing happens): {string.Join("; ", ignored)}.");
        text.AppendLine($"Every other pair is illegal: refused with an error in the log, the state unchanged.");
        return text.ToString();
    }
}
