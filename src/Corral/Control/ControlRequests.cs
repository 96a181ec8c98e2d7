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

/// <summary>The loop's answer: an HTTP status, the status after the request, what Corral said doing it, or an error.</summary>
public sealed record ControlReply(int Status, SupervisorStatus? Snapshot = null, string? Error = null, ImmutableArray<string> Messages = default)
{
    public ImmutableArray<string> Said => Messages.IsDefault ? [] : Messages;
}
