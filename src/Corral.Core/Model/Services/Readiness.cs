using System.Collections.Immutable;

namespace Corral.Core.Model.Services;

/// <summary>How a service says it is ready (s6's notification fd, systemd's sd_notify, a log line).</summary>
public enum ReadinessKind { NotifyFd, Notify, LogLine }

/// <summary>
/// The service's own readiness signal: a newline written to descriptor Fd (s6), READY=1 sent to
/// $NOTIFY_SOCKET (systemd), or a line of its output matching Pattern (a .NET regular expression).
/// </summary>
public sealed record ReadySpec(ReadinessKind Kind, int Fd = 0, string? Pattern = null);

public enum ProbeKind { Exec, Http, Tcp }

/// <summary>
/// A Kubernetes-style probe. exec: Command exits 0. http: GET http://Host:Port/Path answers
/// 200–399. tcp: a connection to Host:Port is accepted. A probe that takes longer than Timeout
/// fails. SuccessThreshold passes in a row make it pass; FailureThreshold failures in a row
/// make it fail.
/// </summary>
public sealed record ProbeSpec
{
    public required ProbeKind Kind { get; init; }
    public ImmutableArray<string> Command { get; init; } = [];
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; }
    public string Path { get; init; } = "/";
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = [];
    public TimeSpan InitialDelay { get; init; } = TimeSpan.Zero;
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
    public int SuccessThreshold { get; init; } = 1;
    public int FailureThreshold { get; init; } = 3;
    public SourceLocation Where { get; init; } = SourceLocation.None;
}

/// <summary>Which of a service's probes: startup gates the other two.</summary>
public enum ProbeRole { Startup, Readiness, Liveness }
