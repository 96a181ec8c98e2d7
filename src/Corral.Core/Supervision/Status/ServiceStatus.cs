using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Supervision.Status;

// Overview: the one status model. status.json, the control API's status answers, `corral ctl
// status --json`, `corral healthcheck`, `corral ctl` and the metrics all hold these records;
// StatusJson writes and reads them, so the field names (docs/control.md, "The status JSON") are
// these properties' names in snake_case. A property added here is a field added everywhere.

/// <summary>
/// One service at one moment. Pid and ProcessGroup: null while no process runs. StartedAt: the
/// wall-clock start of the current process (null with none); UptimeSeconds: its age then (0 with
/// none). Live: not failing a liveness probe (true without one). Status: the service's own status
/// line (sd_notify STATUS=). Groups: the config's groups, so a name means the same to every reader.
/// CpuSeconds and MemoryBytes: the process group's usage, measured by the control API when asked
/// (null in status.json and without a process).
/// </summary>
public sealed record ServiceStatus(
    string Name, ServiceType Type, ServiceState State, bool Main, ImmutableArray<string> Groups,
    int? Pid, int? ProcessGroup, DateTime? StartedAt, double UptimeSeconds, int Restarts, LastExit? LastExit,
    bool Ready, bool Live, string? Reason, string? Status, double? CpuSeconds = null, long? MemoryBytes = null, GoalKind Goal = GoalKind.Up)
{
    /// <summary>The one definition of a healthy service (<see cref="Health.Problem"/>), recomputed by whoever reads the record.</summary>
    public bool Healthy => Health.Problem(this) is null;
}

/// <summary>How a service's last process ended: Code when it exited, Signal (its name, "SIGKILL") when it was killed.</summary>
public sealed record LastExit(int? Code, string? Signal, string Text)
{
    public static LastExit Of(ExitStatus exit) =>
        exit.WasSignaled ? new(null, Signals.NameOf(exit.Signal), exit.ToString()) : new(exit.Code, null, exit.ToString());

    /// <summary>The code a shell would report: the exit code, or 128+N for signal N.</summary>
    public int ShellCode() => Code ?? (Signals.TryParse(Signal ?? "", out var n) ? (128 + n) & 0xff : 128);
}

/// <summary>Corral itself. StartedAt: wall clock; UptimeSeconds: as of the moment the status was taken.</summary>
public sealed record CorralStatus(
    int Pid, string Version, string Config, DateTime StartedAt, double UptimeSeconds, bool ShuttingDown, int ReapedOrphans);

/// <summary>The whole supervisor at one moment: Corral and its services, in start order.</summary>
public sealed record SupervisorStatus(CorralStatus Corral, ImmutableArray<ServiceStatus> Services)
{
    public ServiceStatus? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// The services that names (service names, group names, "web:*", "all") stand for, in start
    /// order, and the names that stand for nothing; every service when names is empty.
    /// </summary>
    public (List<ServiceStatus> Services, List<string> Unknown) Pick(IReadOnlyCollection<string> names) =>
        ServiceNames.Pick(Services, names, s => s.Name, s => s.Groups);
}
