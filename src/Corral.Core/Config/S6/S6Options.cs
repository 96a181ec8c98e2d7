using System.Collections.Immutable;
using System.Globalization;

namespace Corral.Core.Config.S6;

/// <summary>
/// The S6_* variables of s6-overlay that change what Corral does as <c>/init</c>, read as
/// s6-overlay's scripts read them: a value that is not a plain decimal number is the default,
/// and variables Corral does not know are ignored, as s6-overlay ignores them. Pure.
/// </summary>
public sealed record S6Options
{
    /// <summary>0: go on when a cont-init script or a service fails to come up; 1: go on, with a warning; 2: stop the container.</summary>
    public int BehaviourIfStage2Fails { get; init; }

    /// <summary>S6_CMD_WAIT_FOR_SERVICES: the CMD also waits for the legacy services.d longruns to be up (ready with notification-fd).</summary>
    public bool CmdWaitForServices { get; init; }

    /// <summary>S6_CMD_WAIT_FOR_SERVICES_MAXTIME in ms: 0 waits for ever (s6-overlay's default).</summary>
    public int CmdWaitMaxTime { get; init; }

    /// <summary>S6_KILL_FINISH_MAXTIME in ms: the time each cont-finish.d script may take.</summary>
    public int KillFinishMaxTime { get; init; } = 5000;

    /// <summary>S6_SERVICES_GRACETIME in ms: a service's grace between its stop signal and SIGKILL at shutdown.</summary>
    public int ServicesGraceTime { get; init; } = 3000;

    /// <summary>S6_KILL_GRACETIME in ms: the grace of leftover processes between SIGTERM and SIGKILL at the very end.</summary>
    public int KillGraceTime { get; init; } = 3000;

    /// <summary>S6_VERBOSITY: 0 errors only … 2 (default) informational … 5 debugging.</summary>
    public int Verbosity { get; init; } = 2;

    /// <summary>S6_CMD_ARG0: words put before the CMD's arguments.</summary>
    public ImmutableArray<string> CmdArg0 { get; init; } = [];

    /// <summary>S6_CMD_RECEIVE_SIGNALS: the container's stop signals go to the CMD instead of stopping the container.</summary>
    public bool CmdReceiveSignals { get; init; }

    /// <summary>S6_READ_ONLY_ROOT: accepted; Corral copies nothing and writes nowhere under / but /run.</summary>
    public bool ReadOnlyRoot { get; init; }

    /// <summary>S6_SYNC_DISKS: sync the file systems before exiting.</summary>
    public bool SyncDisks { get; init; }

    public static readonly S6Options Default = new();

    public static S6Options From(IReadOnlyDictionary<string, string> env)
    {
        int Number(string name, int fallback) =>
            env.TryGetValue(name, out var text) && text.Length > 0 && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;
        bool Flag(string name) => Number(name, 0) > 0;
        var arg0 = env.TryGetValue("S6_CMD_ARG0", out var a) && ShellWords.TrySplit(a.Trim(), out var words, out _) ? words : [];
        return new S6Options
        {
            BehaviourIfStage2Fails = Number("S6_BEHAVIOUR_IF_STAGE2_FAILS", 0),
            CmdWaitForServices = Flag("S6_CMD_WAIT_FOR_SERVICES"),
            CmdWaitMaxTime = Number("S6_CMD_WAIT_FOR_SERVICES_MAXTIME", 0),
            KillFinishMaxTime = Number("S6_KILL_FINISH_MAXTIME", 5000),
            ServicesGraceTime = Number("S6_SERVICES_GRACETIME", 3000),
            KillGraceTime = Number("S6_KILL_GRACETIME", 3000),
            Verbosity = Number("S6_VERBOSITY", 2),
            CmdArg0 = arg0,
            CmdReceiveSignals = Flag("S6_CMD_RECEIVE_SIGNALS"),
            ReadOnlyRoot = Flag("S6_READ_ONLY_ROOT"),
            SyncDisks = Flag("S6_SYNC_DISKS"),
        };
    }
}
