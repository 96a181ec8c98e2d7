using Corral.Core.Model;

namespace Corral.Core.Supervision.Init;

/// <summary>What can happen to a single-child init. Every input arrives as one of these.</summary>
public abstract record InitEvent;

/// <summary>The child was spawned (Pid &gt; 0) or could not be (Errno ≠ 0).</summary>
public sealed record ChildSpawned(int Pid, int Errno) : InitEvent;

public sealed record SignalReceived(int Signal) : InitEvent;

public sealed record ProcessExited(int Pid, ExitStatus Status) : InitEvent;

/// <summary>The reaper found no child left to wait for.</summary>
public sealed record NoChildrenLeft : InitEvent;

public sealed record TimerFired(TimeSpan Deadline) : InitEvent;

/// <summary>
/// Corral, a session leader, let go of its terminal (dumb-init's hand-off): the kernel now sends
/// it SIGHUP and SIGCONT once, which are not meant for the child.
/// </summary>
public sealed record TerminalDetached : InitEvent;

/// <summary>What the init asks the Os layer to do. Effects are data; the runtime carries them out.</summary>
public abstract record InitEffect;

public sealed record SendSignal(int Pid, int Signal, bool ToGroup) : InitEffect;

/// <summary>Corral stops itself (SIGSTOP), for dumb-init's job control.</summary>
public sealed record StopSelf : InitEffect;

/// <summary>Signal every process left below Corral.</summary>
public sealed record SignalRemaining(int Signal) : InitEffect;

public sealed record ArmTimer(TimeSpan Deadline) : InitEffect;

/// <summary>Something to tell the user; the personality decides the words and the level.</summary>
/// <remarks>
/// Signal is the one acted on, Original the one before any rewrite; Arrived says Original came
/// from outside (not Corral's own TERM after the child exited). For SpawnFailed, Signal holds errno.
/// </remarks>
public sealed record Report(InitNote Note, int Pid = 0, ExitStatus Status = default, int Signal = 0, int Original = 0, bool Arrived = false, int Code = 0) : InitEffect;

public sealed record Exit(int Code) : InitEffect;

public enum InitNote
{
    ChildStarted,
    SpawnFailed,
    ForwardedSignal,
    DroppedSignal,
    /// <summary>The SIGHUP or SIGCONT that detaching from the terminal caused, not forwarded.</summary>
    IgnoredHandOff,
    ChildExited,
    /// <summary>The init is about to exit with Code because its child ended.</summary>
    Exiting,
    ReapedOrphan,
    SweepStarted,
    SweepKilling,
    SweepDone,
}
