using Corral.Compat;
using Corral.Core.Model;
using Corral.Core.Supervision.Init;
using Corral.Os.Native;
using Corral.Os.Logging;
using Corral.Os.Pid1;
using Corral.Os.Reaping;
using Corral.Os.Signals;
using Corral.Os.Spawning;

namespace Corral.Runtime;

/// <summary>
/// Runs the single-child init: sets Corral up as an init, spawns the child, then loops over
/// events (signals, exits, the grace timer) until the automaton says exit. Reads top to bottom
/// in the order things happen.
/// </summary>
public sealed class InitRunner(InitSpec spec, IInitVoice voice)
{
    readonly EventQueue<InitEvent> events = new();
    readonly InitAutomaton automaton = new(spec);
    readonly Os.MonotonicClock clock = Os.MonotonicClock.System;
    TimeSpan? deadline;

    /// <param name="notice">Printed on stderr before anything else happens.</param>
    public int Run(string notice = "")
    {
        var inherited = InheritedSignals.CaptureAndUnblock(spec.ChildInheritsSignalState);
        StdIo.Err(notice);
        BecomeInit();
        // Never disposed: unregistering 60 signals at exit costs time and buys nothing.
        var intake = new SignalIntake(sig => events.Post(new SignalReceived(sig)));
        var terminal = ProcessIdentity.StdinIsTerminal && spec.Grouping == ProcessGrouping.NewGroup;
        RegisterSignals(intake, terminal);

        var reaper = new Reaper(
            (pid, status) => events.Post(new ProcessExited(pid, status)),
            () => events.Post(new NoChildrenLeft()));
        reaper.Start();

        var (argv, program) = HandOffTerminal(spec.Command, inherited);
        // dumb-init's child starts where dumb-init was started, and the init itself lets go of
        // that directory before the child runs (so that the child never sees it held), hence
        // the descriptor: chdir("/") first, then the child changes back to it.
        var startDir = spec.ChdirToRoot ? WorkingDirectory.OpenCurrent() : -1;
        if (startDir >= 0) WorkingDirectory.Change("/");
        var spawned = Spawner.Spawn(new SpawnRequest(argv)
        {
            Program = program,
            Grouping = spec.Grouping,
            TakeTerminal = terminal,
            WorkingDirectoryFd = startDir >= 0 ? startDir : null,
            BlockedSignals = spec.ChildInheritsSignalState ? inherited.Blocked : [],
            KeepIgnored = spec.ChildInheritsSignalState ? inherited.Ignored : [],
        });
        reaper.ChildSpawned();
        WorkingDirectory.Close(startDir);
        if (spec.ChdirToRoot && startDir < 0) WorkingDirectory.Change("/");
        var code = Carry(automaton.Decide(new ChildSpawned(spawned.Pid, spawned.Errno), clock.Now));
        return code ?? Loop();
    }

    /// <summary>
    /// What posix_spawn cannot do for the personalities goes through <c>corral exec</c>:
    /// dumb-init's child takes the terminal as its controlling terminal (after Corral let go of
    /// it), and tini's child starts with the ignored signals and the mask Corral inherited. The chained child reports
    /// an exec failure in the personality's own words, as the real programs' children do.
    /// </summary>
    (IReadOnlyList<string> Argv, string? Program) HandOffTerminal(IReadOnlyList<string> command, InheritedSignals inherited)
    {
        var options = new List<string>();
        var style = "";
        if (spec.Personality == Personality.DumbInit && spec.Grouping == ProcessGrouping.NewSession)
        {
            style = "dumb-init";
            var errno = ProcessIdentity.DetachTerminal();
            if (errno != 0)
                Debug($"Unable to detach from controlling tty (errno={errno} {Errno.Describe(errno)}).");
            else if (ProcessIdentity.IsSessionLeader)
            {
                Debug("Detached from controlling tty, ignoring the first SIGHUP and SIGCONT we receive.");
                Carry(automaton.Decide(new TerminalDetached(), clock.Now));
            }
            else Debug("Detached from controlling tty, but was not session leader.");
            var debug = voice.Debug("") is not null;
            if (ProcessIdentity.StdinIsTerminal || debug) options.Add(debug ? "--ctty-debug" : "--ctty");
        }
        if (spec.ChildInheritsSignalState)
        {
            // posix_spawn keeps a signal ignored only if Corral ignores it too; one that Corral
            // (or the runtime) handles can only be ignored again by the child itself.
            var ignoredNow = SignalIntake.IgnoredSignals();
            if (inherited.Ignored.Any(s => (ignoredNow & (1UL << (s - 1))) == 0))
            {
                style = "tini";
                options.AddRange(["--ignore-signals", string.Join(",", inherited.Ignored)]);
                if (inherited.Blocked.Count > 0) options.AddRange(["--block-signals", string.Join(",", inherited.Blocked)]);
            }
        }
        if (options.Count == 0) return (command, null);
        // Run as "corral" whatever the file is called: a copy named dumb-init would otherwise
        // take that personality and chain-load itself again, without end.
        return (["corral", "exec", .. options, "--error-style", style, "--", .. command], Environment.ProcessPath ?? "/proc/self/exe");
    }

    void Debug(string message)
    {
        if (voice.Debug(message) is { } line) StdIo.Err(line);
    }

    void BecomeInit()
    {
        if (spec.ParentDeathSignal != 0 && ProcessIdentity.SetParentDeathSignal(spec.ParentDeathSignal) is var e1 and not 0)
            StdIo.Err(voice.Warn($"cannot set the parent-death signal: {Errno.Describe(e1)}"));
        if (ProcessIdentity.IsPid1) return;
        if (spec.Subreaper)
        {
            if (ProcessIdentity.RegisterSubreaper() is var e2 and not 0)
                StdIo.Err(voice.Warn($"cannot register as a child subreaper: {Errno.Describe(e2)}"));
        }
        if (!ProcessIdentity.IsSubreaper && voice.NotAnInit() is { } warning)
            StdIo.Err(warning);
    }

    void RegisterSignals(SignalIntake intake, bool terminal)
    {
        // A child in its own group owns the terminal; Corral, now in the background, must not be
        // stopped for touching it (tini does the same).
        var ignoreTerminalStops = terminal || spec.Personality == Personality.Tini;
        if (ignoreTerminalStops)
        {
            SignalIntake.Ignore(Signals.SIGTTIN);
            SignalIntake.Ignore(Signals.SIGTTOU);
        }
        if (intake.Register(ForwardedSignals(ignoreTerminalStops)) is { Count: > 0 } refused)
            StdIo.Err(voice.Warn($"cannot catch {string.Join(", ", refused.Select(Signals.NameOf))}: they will not be forwarded"));
        if (SentOnlySignals(spec.Personality) is { Count: > 0 } sentOnly && intake.RegisterSentOnly(sentOnly) is var e and not 0)
            StdIo.Err(voice.Warn($"cannot forward {string.Join(", ", sentOnly.Select(Signals.NameOf))}: {Errno.Describe(e)}"));
    }

    /// <summary>
    /// Signals the personality forwards although Corral's runtime needs them: dumb-init passes on
    /// every catchable signal, the fault signals too when they are sent with kill, and tini
    /// passes on SIGPIPE. Only signals sent by another process are forwarded; a real fault or
    /// Corral writing to a closed pipe keeps its usual effect.
    /// </summary>
    static IReadOnlyList<int> SentOnlySignals(Personality personality) => personality switch
    {
        Personality.DumbInit =>
        [
            Signals.SIGILL, Signals.SIGTRAP, Signals.SIGABRT, Signals.SIGBUS, Signals.SIGFPE,
            Signals.SIGSEGV, Signals.SIGPIPE, Signals.SIGSYS,
        ],
        Personality.Tini => [Signals.SIGPIPE],
        _ => [],
    };

    /// <summary>
    /// Every asynchronous signal a user can send: not KILL and STOP (uncatchable), not CHLD
    /// (the reaper's), not the ones a fault raises. Real-time signals from SIGRTMIN+1 on; SIGRTMIN
    /// itself is the runtime's own for suspending threads. Not PIPE either: it stays ignored,
    /// so that Corral writing to a closed stdout (`corral run | head`) gets EPIPE instead of a
    /// signal it would pass on to every service.
    /// </summary>
    public static IEnumerable<int> ForwardedSignals(bool withoutTerminalStops)
    {
        for (var sig = 1; sig <= Signals.Max; sig++)
        {
            if (sig is Signals.SIGKILL or Signals.SIGSTOP or Signals.SIGCHLD or Signals.SIGPIPE or 32 or 33 or 34) continue;
            if (Signals.IsSynchronous(sig)) continue;
            if (withoutTerminalStops && sig is Signals.SIGTTIN or Signals.SIGTTOU) continue;
            yield return sig;
        }
    }

    int Loop()
    {
        while (true)
        {
            var timeout = deadline is { } d ? d - clock.Now : (TimeSpan?)null;
            InitEvent next;
            if (events.TryTake(out var e, timeout)) next = e;
            else
            {
                next = new TimerFired(deadline!.Value);
                deadline = null;
            }
            if (Carry(automaton.Decide(next, clock.Now)) is { } code) return code;
        }
    }

    /// <summary>Carries out effects in order; returns the exit code when one says exit.</summary>
    int? Carry(IReadOnlyList<InitEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendSignal s:
                    if (s.ToGroup) Kill.Group(s.Pid, s.Signal); else Kill.Process(s.Pid, s.Signal);
                    break;
                case StopSelf:
                    SignalIntake.RaiseSelf(Signals.SIGSTOP);
                    break;
                case SignalRemaining s:
                    Kill.Remaining(s.Signal);
                    break;
                case ArmTimer t:
                    deadline = t.Deadline;
                    break;
                case Report r:
                    if (voice.Say(r) is { } said)
                    {
                        if (said.ToStdout) StdIo.Out(said.Text); else StdIo.Err(said.Text);
                    }
                    break;
                case Exit x:
                    return x.Code;
            }
        }
        return null;
    }
}
