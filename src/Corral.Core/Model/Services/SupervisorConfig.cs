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

    /// <summary>At the end of a shutdown, the grace between SIGTERM and SIGKILL for the processes left (s6-overlay's S6_KILL_GRACETIME).</summary>
    public TimeSpan SweepGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// s6-overlay's S6_CMD_RECEIVE_SIGNALS: while the main service runs, SIGTERM, SIGINT, SIGQUIT
    /// and SIGHUP go to it instead of shutting down (or reloading); its end ends the container.
    /// </summary>
    public bool SignalsToMain { get; init; }

    /// <summary>
    /// s6-overlay's S6_CMD_WAIT_FOR_SERVICES_MAXTIME: the main service waits at most this long
    /// after boot for its dependencies, then starts anyway (or, with MainWaitIsFatal, Corral
    /// stops with exit code 2, as s6-rc's timeout). Null: it waits for ever.
    /// </summary>
    public TimeSpan? MainWaitLimit { get; init; }

    /// <summary>S6_BEHAVIOUR_IF_STAGE2_FAILS=2: a main service not started within MainWaitLimit stops the container.</summary>
    public bool MainWaitIsFatal { get; init; }

    /// <summary>The file it came from (for messages and relative paths).</summary>
    public string Source { get; init; } = "";
}
