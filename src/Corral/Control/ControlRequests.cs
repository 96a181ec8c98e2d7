using System.Collections.Immutable;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;

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

/// <summary>Run this many copies of a service declared with replicas (the config file is not read again).</summary>
public sealed record ScaleCommand(string Service, int Replicas) : ControlRequest;

/// <summary>Re-read the config file and apply the difference, as SIGHUP does.</summary>
public sealed record ReloadCommand : ControlRequest;

public sealed record ShutdownCommand : ControlRequest;

/// <summary>Close and reopen every log file by its path, as SIGUSR2 does for supervisord.</summary>
public sealed record ReopenLogsCommand : ControlRequest;

/// <summary>The running plan (supervisorctl avail: getAllConfigInfo).</summary>
public sealed record PlanRequest : ControlRequest;

/// <summary>Read and compile the config file, and say which groups it adds, changes and removes, without applying it (supervisorctl reread).</summary>
public sealed record RereadCommand : ControlRequest;

/// <summary>Put one group from the last reread into the running config (Add), or take a stopped one out (supervisorctl add, remove, update).</summary>
public sealed record GroupCommand(string Group, bool Add) : ControlRequest;

/// <summary>The loop's answer: an HTTP status, the status after the request, what Corral said doing it, or an error.</summary>
/// <remarks>Fault: supervisord's fault code for an error, when the request came through XML-RPC; Plan and Changes: the answers to <see cref="PlanRequest"/> and <see cref="RereadCommand"/>.</remarks>
public sealed record ControlReply(
    int Status, SupervisorStatus? Snapshot = null, string? Error = null, ImmutableArray<string> Messages = default,
    int Fault = 0, Core.Planning.Plan? Plan = null, Core.Compat.Supervisord.GroupChanges? Changes = null)
{
    public ImmutableArray<string> Said => Messages.IsDefault ? [] : Messages;
}
