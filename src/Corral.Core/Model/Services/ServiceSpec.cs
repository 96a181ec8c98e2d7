using System.Collections.Immutable;

namespace Corral.Core.Model.Services;

/// <summary>longrun: a daemon kept up. oneshot: an init task that must finish (s6 and Compose sense).</summary>
public enum ServiceType { Longrun, Oneshot }

public enum RestartPolicy { Always, OnFailure, Never }

/// <summary>What a service's failure (gave up restarting, or a oneshot failed) does to the rest.</summary>
public enum FailureAction { Ignore, StopDependents, Shutdown }

/// <summary>When a dependency counts as satisfied (Compose's vocabulary).</summary>
public enum DependencyCondition { Started, Ready, Healthy, Completed, CompletedSuccessfully }

public sealed record Dependency(string Service, DependencyCondition Condition, SourceLocation Where)
{
    /// <summary>The service with replicas this dependency was declared on (Service is then one of its copies).</summary>
    public string? Via { get; init; }
}

/// <summary>
/// Exponential restart delay: Initial, times Factor per consecutive crash, at most Max; the
/// count starts again once the service has stayed up for ResetAfter.
/// </summary>
public sealed record Backoff(TimeSpan Initial, double Factor, TimeSpan Max, TimeSpan ResetAfter)
{
    public static readonly Backoff Default = new(TimeSpan.FromMilliseconds(100), 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

    /// <summary>The delay before restart number <paramref name="consecutive"/> (1 for the first).</summary>
    public TimeSpan DelayFor(int consecutive)
    {
        var ms = Initial.TotalMilliseconds * Math.Pow(Factor, Math.Max(0, consecutive - 1));
        return ms >= Max.TotalMilliseconds || double.IsInfinity(ms) ? Max : TimeSpan.FromMilliseconds(ms);
    }
}

/// <summary>How to stop a service: Signal to its process group, then SIGCONT; SIGKILL after Timeout.</summary>
public sealed record StopSpec(int Signal, TimeSpan Timeout)
{
    public static readonly StopSpec Default = new(Signals.SIGTERM, TimeSpan.FromSeconds(10));
}

public enum LogTargetKind { Inherit, File, Discard }

/// <summary>
/// Where a stream goes: Corral's own stdout/stderr (Inherit), a file, or nowhere. A file is
/// rotated once it reaches MaxBytes (0: never), keeping Backups old files named as supervisord
/// names them (<c>name.log.1</c> newest … <c>name.log.N</c>); AlsoInherit: the lines go to
/// Corral's own output as well.
/// </summary>
public sealed record LogTarget(LogTargetKind Kind, string? Path = null, long MaxBytes = 0, int Backups = 0, bool AlsoInherit = false)
{
    public static readonly LogTarget Inherit = new(LogTargetKind.Inherit);
    public static readonly LogTarget Discard = new(LogTargetKind.Discard);
}

public enum LogFormat { Text, Json }

public sealed record LogSpec(bool Prefix, LogTarget Stdout, LogTarget Stderr, LogFormat? Format)
{
    public static readonly LogSpec Default = new(true, LogTarget.Inherit, LogTarget.Inherit, null);
}

/// <summary>One service as configured, whatever the format it was read from.</summary>
public sealed record ServiceSpec
{
    public required string Name { get; init; }

    /// <summary>argv; with Shell, a single string run by /bin/sh -c.</summary>
    public required ImmutableArray<string> Command { get; init; }

    public bool Shell { get; init; }

    public ServiceType Type { get; init; } = ServiceType.Longrun;

    public ImmutableArray<Dependency> DependsOn { get; init; } = [];

    /// <summary>null: the default for the type (longrun always, oneshot never).</summary>
    public RestartPolicy? Restart { get; init; }

    public Backoff Backoff { get; init; } = Backoff.Default;

    /// <summary>Restarts allowed within RestartWindow before the service is failed; null for no limit.</summary>
    public int? MaxRestarts { get; init; }

    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromSeconds(60);

    public ImmutableHashSet<int> SuccessExitCodes { get; init; } = [0];

    /// <summary>
    /// supervisord's startsecs: a process must stay up this long for its start to count as a
    /// success (till then supervisorctl says STARTING); an exit sooner is a failed start. Null:
    /// a start succeeds once the process runs.
    /// </summary>
    public TimeSpan? StartSeconds { get; init; }

    /// <summary>
    /// supervisord's startretries: failed starts in a row (exits within StartSeconds) after
    /// which the service is given up on (FATAL). Null: no such limit.
    /// </summary>
    public int? StartRetries { get; init; }

    /// <summary>
    /// replicas: run this many copies, named NAME.1 … NAME.N, each in the group NAME with
    /// CORRAL_REPLICA=i (and PORT=ReplicaPort+i-1 when ReplicaPort is set). Null: one service
    /// under its own name. The plan compiler expands it; the copies carry null.
    /// </summary>
    public int? Replicas { get; init; }

    /// <summary>replicas.port: the first copy's PORT; each next copy gets the next port.</summary>
    public int? ReplicaPort { get; init; }

    /// <summary>supervisord's autostart: false, it is not started at boot (it waits, held down, for a start request).</summary>
    public bool AutoStart { get; init; } = true;

    /// <summary>supervisord's priority: among services free to start together, lower starts first and stops last (default 999).</summary>
    public int Priority { get; init; } = 999;

    public FailureAction OnFailure { get; init; } = FailureAction.Ignore;

    /// <summary>When a main service ends, Corral shuts down and exits with its code.</summary>
    public bool Main { get; init; }

    /// <summary>
    /// The groups it belongs to (YAML <c>groups:</c>), so that <c>corral ctl restart web</c>
    /// acts on every service of group web, as supervisord's groups do. Not a reason to restart
    /// it on reload: it changes nothing about the process.
    /// </summary>
    public ImmutableArray<string> MemberOf { get; init; } = [];

    public StopSpec Stop { get; init; } = StopSpec.Default;

    /// <summary>
    /// s6's <c>finish</c>: run after each exit of a longrun's process, before it is restarted,
    /// with the exit code (256 when killed by a signal) and the signal number as arguments; its
    /// exit code 125 means "do not restart". Empty: none.
    /// </summary>
    public ImmutableArray<string> FinishCommand { get; init; } = [];

    /// <summary>s6-rc's <c>down</c>: a oneshot's command that undoes it when it is brought down (at shutdown). Empty: none.</summary>
    public ImmutableArray<string> DownCommand { get; init; } = [];

    /// <summary>How long a finish or down command may run before it is killed (s6's timeout-finish, s6-rc's timeout-down).</summary>
    public TimeSpan FinishTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public string? User { get; init; }
    public string? Group { get; init; }
    public string? WorkingDir { get; init; }
    public int? Umask { get; init; }
    public ImmutableArray<ResourceLimit> Limits { get; init; } = [];

    /// <summary>Variables set for the service, in the order written (later wins).</summary>
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>dotenv files, read when the service starts; relative to the config's directory.</summary>
    public ImmutableArray<string> EnvFiles { get; init; } = [];

    public bool InheritEnv { get; init; } = true;

    public LogSpec Logs { get; init; } = LogSpec.Default;

    /// <summary>
    /// s6's pipelines (a longrun's <c>log/</c>, s6-rc's producer-for): the stdout of this service
    /// is the write end of a pipe whose read end is the stdin of the service named here (its
    /// consumer, which has <see cref="ReadsPipe"/>). Corral holds both ends for as long as it
    /// runs, so either side may restart without the other losing a line. Null: stdout as Logs says.
    /// </summary>
    public string? StdoutTo { get; init; }

    /// <summary>This service's stdin is the read end of its pipeline (see <see cref="StdoutTo"/>); else /dev/null.</summary>
    public bool ReadsPipe { get; init; }

    /// <summary>The service's own readiness signal; null: ready once started (or once its readiness probe passes).</summary>
    public ReadySpec? Ready { get; init; }

    /// <summary>How long a start may take to become ready before it counts as a failed start.</summary>
    public TimeSpan? ReadyTimeout { get; init; }

    /// <summary>sd_notify watchdog: without WATCHDOG=1 for this long, the service is restarted.</summary>
    public TimeSpan? Watchdog { get; init; }

    public ProbeSpec? StartupProbe { get; init; }
    public ProbeSpec? ReadinessProbe { get; init; }
    public ProbeSpec? LivenessProbe { get; init; }

    public ProbeSpec? Probe(ProbeRole role) => role switch
    {
        ProbeRole.Startup => StartupProbe,
        ProbeRole.Readiness => ReadinessProbe,
        _ => LivenessProbe,
    };

    /// <summary>Whether "started" and "ready" differ for this service.</summary>
    public bool HasReadiness => Ready is not null || ReadinessProbe is not null || StartupProbe is not null;

    /// <summary>supervisord's [eventlistener:x]: stdin and stdout speak the listener protocol; null for any other service.</summary>
    public ListenerSpec? Listener { get; init; }

    /// <summary>supervisord's stdout_events_enabled / stderr_events_enabled: each batch of output is a PROCESS_LOG event for listeners.</summary>
    public bool StdoutEvents { get; init; }
    public bool StderrEvents { get; init; }

    public SourceLocation Where { get; init; } = SourceLocation.None;

    public RestartPolicy EffectiveRestart => Restart ?? (Type == ServiceType.Longrun ? RestartPolicy.Always : RestartPolicy.Never);
}
