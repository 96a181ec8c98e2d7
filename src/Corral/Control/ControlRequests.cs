using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Control;

/// <summary>
/// A control request, posted by the control server to the event loop like any other event
/// (DESIGN.md: one loop owns all supervisor state). The loop answers through <see cref="Reply"/>;
/// the server's thread awaits it, never touching supervisor state itself.
/// </summary>
public abstract record ControlRequest : SupervisorEvent
{
    public TaskCompletionSource<ControlReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A snapshot of every service.</summary>
public sealed record StatusRequest : ControlRequest;

/// <summary>start, stop or restart these services ("all": every one).</summary>
public sealed record ServiceCommand(ControlVerb Verb, ImmutableArray<string> Names) : ControlRequest;

public sealed record SignalCommand(int Signal, ImmutableArray<string> Names) : ControlRequest;

/// <summary>Re-read the config file and apply the difference, as SIGHUP does.</summary>
public sealed record ReloadCommand : ControlRequest;

public sealed record ShutdownCommand : ControlRequest;

/// <summary>The loop's answer: an HTTP status, the state after the request, what Corral said doing it, or an error.</summary>
public sealed record ControlReply(int Status, Snapshot? Snapshot = null, string? Error = null, ImmutableArray<string> Messages = default)
{
    public ImmutableArray<string> Said => Messages.IsDefault ? [] : Messages;
}

/// <summary>Everything the control API shows, taken on the loop thread at one moment.</summary>
public sealed record Snapshot(
    int CorralPid, DateTime StartedAt, double UptimeSeconds, bool ShuttingDown, int ReapedOrphans, string ConfigPath,
    ImmutableArray<ServiceView> Services)
{
    public ServiceView? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// The services that names (service names, group names, "web:*", "all") stand for, in
    /// start order, and the names that stand for nothing.
    /// </summary>
    public (List<ServiceView> Services, List<string> Unknown) Pick(IReadOnlyCollection<string> names) =>
        ServiceNames.Pick(Services, names, s => s.Name, s => s.Groups);
}

/// <summary>One service in a snapshot. StartedAt: wall-clock time of its current process's start.</summary>
public sealed record ServiceView(
    string Name, ServiceType Type, ServiceState State, bool Main, int Pid, int Group, DateTime? StartedAt, double UptimeSeconds,
    int Restarts, ExitStatus? LastExit, bool Ready, bool Live, string? Reason, string? StatusText, ImmutableArray<string> Groups)
{
    /// <summary>The same service as the status file has it: health is decided there, once.</summary>
    public ServiceStatus AsStatus() => new(Name, Type, State, Ready, Live, Pid, Restarts, Reason, StatusText, Groups);

    public bool Healthy => AsStatus().Healthy;
}
