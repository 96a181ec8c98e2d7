using Corral.Core.Model;

namespace Corral.Core.Supervision.Services;

/// <summary>Everything that can happen to the supervisor arrives as one of these.</summary>
public abstract record SupervisorEvent;

/// <summary>Start: bring every service up in dependency order. Pid1: Corral is PID 1 (it then keeps a sentinel child while no service runs).</summary>
public sealed record Boot(bool Pid1 = false) : SupervisorEvent;

/// <summary>A spawn asked for by <see cref="Spawn"/> finished: a pid, or the errno that stopped it (and why, in words).</summary>
public sealed record Spawned(string Service, int Pid, int Errno, string? Reason = null) : SupervisorEvent;

/// <summary>A spawn asked for by <see cref="SpawnFinish"/> finished: the finish (or down) process's pid, or the errno that stopped it.</summary>
public sealed record FinishSpawned(string Service, int Pid, int Errno, string? Reason = null) : SupervisorEvent;

public sealed record ProcessExited(int Pid, ExitStatus Status) : SupervisorEvent;

public sealed record SignalReceived(int Signal) : SupervisorEvent;

public sealed record TimerFired(TimerKey Key) : SupervisorEvent;

/// <summary>A new, valid plan from a reload (SIGHUP or the control socket): apply the difference.</summary>
public sealed record Reload(Planning.Plan Plan) : SupervisorEvent;

public enum ControlVerb { Start, Stop, Restart }

/// <summary>A person asked (through the control socket) to start, stop or restart one service.</summary>
public sealed record ControlRequested(ControlVerb Verb, string Service) : SupervisorEvent;

/// <summary>A person asked to send a signal to one service's process group.</summary>
public sealed record SignalRequested(string Service, int Signal) : SupervisorEvent;

/// <summary>A person asked Corral to shut down (as SIGTERM would), with words for the log.</summary>
public sealed record ShutdownRequested(string Why) : SupervisorEvent;

/// <summary>The reaper found no child left at all.</summary>
public sealed record NoChildrenLeft : SupervisorEvent;

public enum NotifyKind { Ready, Status, Stopping, Watchdog, MainPid }

/// <summary>
/// The service (its process Pid) said something about itself: a newline on its notification fd
/// or a matching log line (Ready), or an sd_notify message (READY=1, STATUS=…, STOPPING=1,
/// WATCHDOG=1, MAINPID=). MainGroup: for MAINPID=, the process group of the process it names
/// (signals then go to it as well when it is outside the service's group).
/// </summary>
public sealed record Notified(string Service, int Pid, NotifyKind Kind, string? Text = null, int MainGroup = 0) : SupervisorEvent;

/// <summary>A probe asked for by <see cref="RunProbe"/> finished (Pid: the service's process it probed).</summary>
public sealed record ProbeResult(string Service, int Pid, Model.Services.ProbeRole Role, bool Success, string? Detail = null) : SupervisorEvent;

public enum TimerKind { Restart, StopTimeout, ShutdownDeadline, SweepDeadline, FinalExit, StartupProbe, ReadinessProbe, LivenessProbe, ReadyTimeout, Watchdog, StartSeconds, FinishTimeout, MainWait }

/// <summary>A timer: per service (restart delay, stop timeout) or global (Service is "").</summary>
public readonly record struct TimerKey(TimerKind Kind, string Service = "");

/// <summary>What the supervisor asks the runtime to do. Effects are data.</summary>
public abstract record SupervisorEffect;

public sealed record Spawn(string Service) : SupervisorEffect;

/// <summary>
/// Spawn the service's finish script (after its process exited) or a oneshot's down command, as
/// the service's own process is spawned (same environment, directory and logs), with this argv.
/// </summary>
public sealed record SpawnFinish(string Service, System.Collections.Immutable.ImmutableArray<string> Argv) : SupervisorEffect;

/// <summary>Run one probe of the service's current process, without blocking; report a ProbeResult.</summary>
public sealed record RunProbe(string Service, int Pid, Model.Services.ProbeRole Role) : SupervisorEffect;

/// <summary>
/// Signal a service's whole process group (Pid: the group's leader, the process Corral spawned)
/// and, when MainPid is not 0, that process too: MAINPID= named a main process outside the group.
/// Strays: the service is being stopped, so its processes that left the group (setsid, a daemon
/// re-parented to Corral) get the signal too.
/// </summary>
public sealed record SignalService(string Service, int Pid, int Signal, int MainPid = 0, bool Strays = false) : SupervisorEffect;

/// <summary>Read and compile the config again (SIGHUP); post a Reload when it is valid, say why not otherwise.</summary>
public sealed record LoadConfig(string Why) : SupervisorEffect;

/// <summary>Start the sentinel (a child that only waits) unless Corral has a child now.</summary>
public sealed record StartSentinel : SupervisorEffect;

/// <summary>End the sentinel, if there is one: a service process keeps the reaper awake now.</summary>
public sealed record StopSentinel : SupervisorEffect;

/// <summary>Signal every process left (all of the namespace as PID 1, all descendants otherwise).</summary>
public sealed record SignalRemaining(int Signal) : SupervisorEffect;

/// <summary>Ask the runtime to report NoChildrenLeft now if Corral has no child at all.</summary>
public sealed record CheckChildren : SupervisorEffect;

/// <summary>Close and reopen every log file Corral writes, by its path (logrotate moved them: SIGUSR2, ctl logs --reopen).</summary>
public sealed record ReopenLogs : SupervisorEffect;

public sealed record ArmTimer(TimerKey Key, TimeSpan Deadline) : SupervisorEffect;

public sealed record CancelTimer(TimerKey Key) : SupervisorEffect;

public enum LogLevel { Error, Warning, Info, Debug }

/// <summary>A message from Corral itself, about a service or (Service null) the whole.</summary>
public sealed record Log(LogLevel Level, string? Service, string Message) : SupervisorEffect;

public sealed record Exit(int Code) : SupervisorEffect;

/// <summary>An event for supervisord's event listeners (those that subscribe to it get it).</summary>
public sealed record EmitEvent(Events.ListenerEvent Event) : SupervisorEffect;
