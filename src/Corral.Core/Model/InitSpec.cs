using System.Collections.Immutable;

namespace Corral.Core.Model;

/// <summary>Whose words Corral speaks in: its own, or exactly tini's or dumb-init's.</summary>
public enum Personality { Corral, Tini, DumbInit }

/// <summary>
/// The single-child init (<c>corral -- CMD</c>, <c>tini</c>, <c>dumb-init</c>): one command to
/// run as a child, and how to forward, reap and exit around it. Read from argv and the
/// environment by the personality's reader.
/// </summary>
public sealed record InitSpec
{
    public required ImmutableArray<string> Command { get; init; }

    public Personality Personality { get; init; } = Personality.Corral;

    public ProcessGrouping Grouping { get; init; } = ProcessGrouping.NewGroup;

    /// <summary>Forward signals to the child's whole process group rather than the child alone.</summary>
    public bool SignalGroup { get; init; }

    /// <summary>Register as child subreaper when not PID 1.</summary>
    public bool Subreaper { get; init; }

    /// <summary>Signal to receive when Corral's parent dies; 0 for none.</summary>
    public int ParentDeathSignal { get; init; }

    /// <summary>Warn when reaping a process that was not the child.</summary>
    public bool WarnOnReap { get; init; }

    /// <summary>0 silent, 1 warnings (default), 2 info, 3 debug, 4 trace.</summary>
    public int Verbosity { get; init; } = 1;

    /// <summary>Exit codes (after the 128+N rule) reported as 0.</summary>
    public ImmutableHashSet<int> ExitCodesAsSuccess { get; init; } = [];

    /// <summary>Signal rewrites applied before forwarding; a target of 0 drops the signal.</summary>
    public ImmutableDictionary<int, int> Rewrites { get; init; } = ImmutableDictionary<int, int>.Empty;

    /// <summary>
    /// dumb-init's job control: after forwarding TSTP, TTIN or TTOU, Corral stops itself, so a
    /// shell's Ctrl-Z suspends the whole tree and a later CONT resumes it.
    /// </summary>
    public bool JobControlStopsSelf { get; init; }

    /// <summary>dumb-init's setsid mode: TSTP, TTIN and TTOU go on as STOP unless rewritten.</summary>
    public bool JobControlBecomesStop { get; init; }

    /// <summary>
    /// tini: the child gets the signal mask and the ignored signals Corral inherited, instead
    /// of a clean slate.
    /// </summary>
    public bool ChildInheritsSignalState { get; init; }

    /// <summary>dumb-init: Corral moves to "/" after spawning, so it holds no directory busy.</summary>
    public bool ChdirToRoot { get; init; }

    /// <summary>dumb-init: after the child exits, send it (or its group) TERM, rewritten like any signal.</summary>
    public bool TermOnChildExit { get; init; }

    /// <summary>Corral's exit code when the command cannot be started; null for the shell's 127/126.</summary>
    public int? ExecFailureExitCode { get; init; }

    /// <summary>After the child exits, TERM every remaining process, KILL after this grace; null to leave them.</summary>
    public TimeSpan? Grace { get; init; }
}
