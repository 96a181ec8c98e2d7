using System.Collections.Immutable;

namespace Corral.Core.Model.Services;

public enum ColorMode { Auto, Always, Never }

/// <summary>The whole configuration of <c>corral run</c>, read from any format.</summary>
public sealed record SupervisorConfig
{
    public required ImmutableArray<ServiceSpec> Services { get; init; }

    /// <summary>The whole shutdown's budget; the default fits inside Docker's 10 s stop timeout.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(9);

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    public ColorMode Color { get; init; } = ColorMode.Auto;

    public ControlSpec Control { get; init; } = new();

    /// <summary>A file Corral writes its pid to while it runs (supervisord.conf's pidfile); null: none.</summary>
    public string? PidFile { get; init; }

    /// <summary>
    /// supervisord's meaning of SIGUSR2: close and reopen every log file (after logrotate moved
    /// them). False (corral.yaml's default): SIGUSR2 is forwarded to the services like any other.
    /// </summary>
    public bool ReopenLogsOnSigusr2 { get; init; }

    /// <summary>The file it came from (for messages and relative paths).</summary>
    public string Source { get; init; } = "";
}
