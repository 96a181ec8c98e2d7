using Corral.Core.Model;

namespace Corral.Core.Supervision.Init;

/// <summary>
/// The single-child init as a pure automaton: <c>Decide(event, now) → effects</c>. It knows
/// the child's pid, forwards signals, maps the child's end to Corral's exit code, and runs the
/// optional grace sweep. No I/O and no clock: <paramref name="now"/> is passed in.
/// </summary>
public sealed class InitAutomaton(InitSpec spec)
{
    enum Phase { Starting, Running, Sweeping, Killing, Done }

    // After SIGKILL nothing can refuse to die, but a process in uninterruptible sleep can take
    // its time; Corral does not wait for it forever.
    static readonly TimeSpan KillWait = TimeSpan.FromSeconds(2);

    Phase phase = Phase.Starting;
    int childPid;
    int exitCode;

    public int ChildPid => childPid;

    public IReadOnlyList<InitEffect> Decide(InitEvent e, TimeSpan now) => e switch
    {
        ChildSpawned s => OnSpawned(s),
        SignalReceived s => OnSignal(s.Signal),
        ProcessExited x => OnExited(x, now),
        NoChildrenLeft => OnNoChildren(),
        TimerFired t => OnTimer(now),
        TerminalDetached => OnTerminalDetached(),
        _ => [],
    };

    IReadOnlyList<InitEffect> OnSpawned(ChildSpawned s)
    {
        if (phase != Phase.Starting) return [];
        if (s.Errno != 0)
        {
            // Starting -> Done: like a shell, 127 when the program is not there, 126 when it cannot run.
            phase = Phase.Done;
            return [new Report(InitNote.SpawnFailed, Signal: s.Errno), new Exit(spec.ExecFailureExitCode ?? ExecFailureCode(s.Errno))];
        }
        // Starting -> Running
        phase = Phase.Running;
        childPid = s.Pid;
        return [new Report(InitNote.ChildStarted, s.Pid)];
    }

    /// <summary>The shell's convention: 127 for "not found", 126 for "found but not executable".</summary>
    public static int ExecFailureCode(int errno) => errno is 2 /*ENOENT*/ or 20 /*ENOTDIR*/ ? 127 : 126;

    bool swallowHangup, swallowContinue;

    IReadOnlyList<InitEffect> OnTerminalDetached()
    {
        swallowHangup = swallowContinue = true;
        return [];
    }

    IReadOnlyList<InitEffect> OnSignal(int signal)
    {
        if (signal == Signals.SIGHUP && swallowHangup || signal == Signals.SIGCONT && swallowContinue)
        {
            if (signal == Signals.SIGHUP) swallowHangup = false; else swallowContinue = false;
            return [new Report(InitNote.IgnoredHandOff, childPid, Signal: signal, Original: signal, Arrived: true)];
        }
        if (phase != Phase.Running) return [];
        var isJobControl = signal is Signals.SIGTSTP or Signals.SIGTTIN or Signals.SIGTTOU;
        var effects = new List<InitEffect>(3);
        Forward(signal, arrived: true, effects);
        // dumb-init: the tree is suspended, so Corral suspends too, and a later CONT resumes both.
        if (isJobControl && spec.JobControlStopsSelf) effects.Add(new StopSelf());
        return effects;
    }

    /// <summary>Rewrites a signal (job-control stops become SIGSTOP when Corral stops itself) and sends it on.</summary>
    void Forward(int signal, bool arrived, List<InitEffect> effects)
    {
        var isJobControl = signal is Signals.SIGTSTP or Signals.SIGTTIN or Signals.SIGTTOU;
        var target = signal;
        if (spec.Rewrites.TryGetValue(signal, out var rewritten)) target = rewritten;
        else if (isJobControl && spec.JobControlBecomesStop) target = Signals.SIGSTOP;

        if (target == 0)
            effects.Add(new Report(InitNote.DroppedSignal, childPid, Signal: 0, Original: signal, Arrived: arrived));
        else
        {
            effects.Add(new SendSignal(childPid, target, spec.SignalGroup));
            effects.Add(new Report(InitNote.ForwardedSignal, childPid, Signal: target, Original: signal, Arrived: arrived));
        }
    }

    IReadOnlyList<InitEffect> OnExited(ProcessExited x, TimeSpan now)
    {
        if (x.Pid != childPid || phase != Phase.Running)
            return [new Report(InitNote.ReapedOrphan, x.Pid, x.Status)];

        // Running -> Done, or Running -> Sweeping when a grace is set.
        var code = x.Status.ShellCode;
        exitCode = spec.ExitCodesAsSuccess.Contains(code) ? 0 : code;
        var effects = new List<InitEffect> { new Report(InitNote.ChildExited, x.Pid, x.Status) };
        if (spec.TermOnChildExit) Forward(Signals.SIGTERM, arrived: false, effects);
        effects.Add(new Report(InitNote.Exiting, x.Pid, x.Status, Code: exitCode));
        if (spec.Grace is { } grace)
        {
            phase = Phase.Sweeping;
            effects.Add(new Report(InitNote.SweepStarted));
            effects.Add(new SignalRemaining(Signals.SIGTERM));
            effects.Add(new SignalRemaining(Signals.SIGCONT));
            effects.Add(new ArmTimer(now + grace));
            return effects;
        }
        phase = Phase.Done;
        effects.Add(new Exit(exitCode));
        return effects;
    }

    IReadOnlyList<InitEffect> OnNoChildren()
    {
        if (phase is not (Phase.Sweeping or Phase.Killing)) return [];
        // Sweeping -> Done
        phase = Phase.Done;
        return [new Report(InitNote.SweepDone), new Exit(exitCode)];
    }

    IReadOnlyList<InitEffect> OnTimer(TimeSpan now)
    {
        switch (phase)
        {
            case Phase.Sweeping:
                // Sweeping -> Killing: the grace is over.
                phase = Phase.Killing;
                return [new Report(InitNote.SweepKilling), new SignalRemaining(Signals.SIGKILL), new ArmTimer(now + KillWait)];
            case Phase.Killing:
                // Killing -> Done: give up waiting for processes that will not die.
                phase = Phase.Done;
                return [new Exit(exitCode)];
            default:
                return [];
        }
    }
}
