using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Core.Supervision.Init;

namespace Corral.Core.Tests.Supervision.Init;

/// <summary>The single-child init on a simulated clock: time is only what each test passes in.</summary>
public sealed class InitAutomatonTests
{
    const int Child = 100;
    static readonly TimeSpan T0 = TimeSpan.FromSeconds(1000);

    static InitSpec Spec(Func<InitSpec, InitSpec>? change = null)
    {
        var spec = new InitSpec { Command = ["cmd"] };
        return change is null ? spec : change(spec);
    }

    static InitAutomaton Running(InitSpec spec)
    {
        var init = new InitAutomaton(spec);
        var effects = init.Decide(new ChildSpawned(Child, 0), T0);
        Assert.Equal([new Report(InitNote.ChildStarted, Child)], effects);
        Assert.Equal(Child, init.ChildPid);
        return init;
    }

    static IReadOnlyList<InitEffect> Signal(InitAutomaton init, int signal) => init.Decide(new SignalReceived(signal), T0);

    static IReadOnlyList<InitEffect> Exited(InitAutomaton init, ExitStatus status, int pid = Child, TimeSpan? now = null) =>
        init.Decide(new ProcessExited(pid, status), now ?? T0);

    static Report Forwarded(int target, int original, bool arrived = true) =>
        new(InitNote.ForwardedSignal, Child, Signal: target, Original: original, Arrived: arrived);

    [Theory]
    [InlineData(2, 127)]   // ENOENT
    [InlineData(20, 127)]  // ENOTDIR
    [InlineData(13, 126)]  // EACCES
    [InlineData(8, 126)]   // ENOEXEC
    public void A_spawn_failure_exits_like_a_shell(int errno, int code)
    {
        var init = new InitAutomaton(Spec());
        var effects = init.Decide(new ChildSpawned(0, errno), T0);
        Assert.Equal([new Report(InitNote.SpawnFailed, Signal: errno), new Exit(code)], effects);
        Assert.Equal(code, InitAutomaton.ExecFailureCode(errno));
    }

    [Fact]
    public void A_spawn_failure_exits_with_the_personalitys_code_when_it_has_one()
    {
        var init = new InitAutomaton(Spec(s => s with { ExecFailureExitCode = 2 }));
        Assert.Equal(new Exit(2), init.Decide(new ChildSpawned(0, 2), T0)[^1]);
    }

    [Fact]
    public void Nothing_happens_after_a_spawn_failure()
    {
        var init = new InitAutomaton(Spec());
        init.Decide(new ChildSpawned(0, 2), T0);
        Assert.Empty(init.Decide(new ChildSpawned(Child, 0), T0));
        Assert.Empty(Signal(init, Signals.SIGTERM));
        Assert.Empty(init.Decide(new TimerFired(T0), T0));
    }

    [Fact]
    public void Signals_before_the_child_is_spawned_are_not_forwarded()
    {
        var init = new InitAutomaton(Spec());
        Assert.Empty(Signal(init, Signals.SIGTERM));
    }

    [Fact]
    public void A_second_spawn_report_is_ignored()
    {
        var init = Running(Spec());
        Assert.Empty(init.Decide(new ChildSpawned(Child + 1, 0), T0));
        Assert.Equal(Child, init.ChildPid);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_signal_is_forwarded_to_the_child_or_its_group(bool group)
    {
        var init = Running(Spec(s => s with { SignalGroup = group }));
        Assert.Equal([new SendSignal(Child, Signals.SIGTERM, group), Forwarded(Signals.SIGTERM, Signals.SIGTERM)], Signal(init, Signals.SIGTERM));
    }

    [Fact]
    public void A_rewritten_signal_is_forwarded_as_its_target()
    {
        var init = Running(Spec(s => s with { Rewrites = ImmutableDictionary<int, int>.Empty.Add(Signals.SIGTERM, Signals.SIGQUIT) }));
        Assert.Equal([new SendSignal(Child, Signals.SIGQUIT, false), Forwarded(Signals.SIGQUIT, Signals.SIGTERM)], Signal(init, Signals.SIGTERM));
    }

    [Fact]
    public void A_signal_rewritten_to_0_is_dropped()
    {
        var init = Running(Spec(s => s with { Rewrites = ImmutableDictionary<int, int>.Empty.Add(Signals.SIGHUP, 0) }));
        Assert.Equal([new Report(InitNote.DroppedSignal, Child, Original: Signals.SIGHUP, Arrived: true)], Signal(init, Signals.SIGHUP));
    }

    [Theory]
    [InlineData(Signals.SIGTSTP)]
    [InlineData(Signals.SIGTTIN)]
    [InlineData(Signals.SIGTTOU)]
    public void Job_control_becomes_SIGSTOP_for_the_group_and_then_stops_corral(int signal)
    {
        var init = Running(Spec(s => s with { SignalGroup = true, JobControlStopsSelf = true, JobControlBecomesStop = true }));
        Assert.Equal([new SendSignal(Child, Signals.SIGSTOP, true), Forwarded(Signals.SIGSTOP, signal), new StopSelf()], Signal(init, signal));
    }

    [Fact]
    public void A_rewrite_of_a_job_control_signal_wins_over_SIGSTOP_but_corral_still_stops()
    {
        var init = Running(Spec(s => s with
        {
            JobControlStopsSelf = true,
            Rewrites = ImmutableDictionary<int, int>.Empty.Add(Signals.SIGTSTP, Signals.SIGUSR1).Add(Signals.SIGTTIN, 0),
        }));
        Assert.Equal([new SendSignal(Child, Signals.SIGUSR1, false), Forwarded(Signals.SIGUSR1, Signals.SIGTSTP), new StopSelf()], Signal(init, Signals.SIGTSTP));
        Assert.Equal([new Report(InitNote.DroppedSignal, Child, Original: Signals.SIGTTIN, Arrived: true), new StopSelf()], Signal(init, Signals.SIGTTIN));
    }

    [Fact]
    public void Without_job_control_stops_a_TSTP_is_forwarded_as_is()
    {
        var init = Running(Spec());
        Assert.Equal([new SendSignal(Child, Signals.SIGTSTP, false), Forwarded(Signals.SIGTSTP, Signals.SIGTSTP)], Signal(init, Signals.SIGTSTP));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(255)]
    public void When_the_child_exits_corral_exits_with_its_code(int code)
    {
        var init = Running(Spec());
        var status = ExitStatus.Exited(code);
        Assert.Equal(
            [new Report(InitNote.ChildExited, Child, status), new Report(InitNote.Exiting, Child, status, Code: code), new Exit(code)],
            Exited(init, status));
    }

    [Theory]
    [InlineData(Signals.SIGKILL, 137)]
    [InlineData(Signals.SIGTERM, 143)]
    [InlineData(Signals.SIGINT, 130)]
    [InlineData(64, 192)]
    public void When_the_child_is_killed_by_signal_N_corral_exits_with_128_plus_N(int signal, int code)
    {
        var init = Running(Spec());
        Assert.Equal(new Exit(code), Exited(init, ExitStatus.Signaled(signal))[^1]);
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(143, 0)]
    [InlineData(4, 4)]
    public void Exit_codes_listed_as_success_become_0(int code, int expected)
    {
        var init = Running(Spec(s => s with { ExitCodesAsSuccess = [3, 143] }));
        var status = code == 143 ? ExitStatus.Signaled(Signals.SIGTERM) : ExitStatus.Exited(code);
        var effects = Exited(init, status);
        Assert.Equal(new Report(InitNote.Exiting, Child, status, Code: expected), effects[^2]);
        Assert.Equal(new Exit(expected), effects[^1]);
    }

    [Fact]
    public void Orphans_are_reported_and_do_not_end_the_init()
    {
        var init = Running(Spec());
        var status = ExitStatus.Exited(9);
        Assert.Equal([new Report(InitNote.ReapedOrphan, 555, status)], Exited(init, status, pid: 555));
        Assert.Equal([new SendSignal(Child, Signals.SIGINT, false), Forwarded(Signals.SIGINT, Signals.SIGINT)], Signal(init, Signals.SIGINT));
        Assert.Equal(new Exit(1), Exited(init, ExitStatus.Exited(1))[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TermOnChildExit_sends_TERM_to_the_child_or_group_before_exiting(bool group)
    {
        var init = Running(Spec(s => s with { TermOnChildExit = true, SignalGroup = group }));
        var status = ExitStatus.Exited(0);
        Assert.Equal(
            [
                new Report(InitNote.ChildExited, Child, status),
                new SendSignal(Child, Signals.SIGTERM, group),
                Forwarded(Signals.SIGTERM, Signals.SIGTERM, arrived: false),
                new Report(InitNote.Exiting, Child, status, Code: 0),
                new Exit(0),
            ],
            Exited(init, status));
    }

    [Fact]
    public void TermOnChildExit_sends_the_rewritten_TERM_or_nothing_when_TERM_is_dropped()
    {
        var rewritten = Running(Spec(s => s with { TermOnChildExit = true, Rewrites = ImmutableDictionary<int, int>.Empty.Add(Signals.SIGTERM, Signals.SIGHUP) }));
        Assert.Contains(new SendSignal(Child, Signals.SIGHUP, false), Exited(rewritten, ExitStatus.Exited(0)));

        var dropped = Running(Spec(s => s with { TermOnChildExit = true, Rewrites = ImmutableDictionary<int, int>.Empty.Add(Signals.SIGTERM, 0) }));
        var effects = Exited(dropped, ExitStatus.Exited(0));
        Assert.DoesNotContain(effects, e => e is SendSignal);
        Assert.Contains(new Report(InitNote.DroppedSignal, Child, Original: Signals.SIGTERM), effects);
    }

    [Fact]
    public void Signals_after_the_exit_are_ignored()
    {
        var init = Running(Spec());
        Exited(init, ExitStatus.Exited(0));
        Assert.Empty(Signal(init, Signals.SIGTERM));
        Assert.Empty(init.Decide(new NoChildrenLeft(), T0));
        Assert.Empty(init.Decide(new TimerFired(T0), T0));
    }

    [Fact]
    public void With_a_grace_the_child_exit_terms_and_continues_the_rest_and_arms_a_timer()
    {
        var init = Running(Spec(s => s with { Grace = TimeSpan.FromSeconds(5) }));
        var now = T0 + TimeSpan.FromMilliseconds(1);
        var status = ExitStatus.Exited(7);
        Assert.Equal(
            [
                new Report(InitNote.ChildExited, Child, status),
                new Report(InitNote.Exiting, Child, status, Code: 7),
                new Report(InitNote.SweepStarted),
                new SignalRemaining(Signals.SIGTERM),
                new SignalRemaining(Signals.SIGCONT),
                new ArmTimer(now + TimeSpan.FromSeconds(5)),
            ],
            Exited(init, status, now: now));
    }

    [Fact]
    public void During_the_grace_no_children_left_exits_with_the_childs_code()
    {
        var init = Running(Spec(s => s with { Grace = TimeSpan.FromSeconds(5), ExitCodesAsSuccess = [143] }));
        Exited(init, ExitStatus.Signaled(Signals.SIGTERM));
        Assert.Equal([new Report(InitNote.ReapedOrphan, 300, ExitStatus.Exited(0))], Exited(init, ExitStatus.Exited(0), pid: 300));
        Assert.Empty(Signal(init, Signals.SIGINT));
        Assert.Equal([new Report(InitNote.SweepDone), new Exit(0)], init.Decide(new NoChildrenLeft(), T0 + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void When_the_grace_ends_the_rest_are_killed_and_corral_exits_after_a_second_timer()
    {
        var init = Running(Spec(s => s with { Grace = TimeSpan.FromSeconds(5) }));
        Exited(init, ExitStatus.Exited(3));
        var graceEnd = T0 + TimeSpan.FromSeconds(5);

        var killing = init.Decide(new TimerFired(graceEnd), graceEnd);
        Assert.Equal(3, killing.Count);
        Assert.Equal(new Report(InitNote.SweepKilling), killing[0]);
        Assert.Equal(new SignalRemaining(Signals.SIGKILL), killing[1]);
        var wait = Assert.IsType<ArmTimer>(killing[2]);
        Assert.True(wait.Deadline > graceEnd);

        Assert.Equal([new Exit(3)], init.Decide(new TimerFired(wait.Deadline), wait.Deadline));
        Assert.Empty(init.Decide(new NoChildrenLeft(), wait.Deadline));
    }

    [Fact]
    public void After_the_kill_no_children_left_exits_without_waiting_for_the_timer()
    {
        var init = Running(Spec(s => s with { Grace = TimeSpan.FromMilliseconds(100) }));
        Exited(init, ExitStatus.Exited(1));
        var graceEnd = T0 + TimeSpan.FromMilliseconds(100);
        init.Decide(new TimerFired(graceEnd), graceEnd);
        Assert.Equal([new Report(InitNote.SweepDone), new Exit(1)], init.Decide(new NoChildrenLeft(), graceEnd + TimeSpan.FromMilliseconds(1)));
        Assert.Empty(init.Decide(new TimerFired(graceEnd + TimeSpan.FromSeconds(2)), graceEnd + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void No_children_left_while_the_child_runs_changes_nothing()
    {
        var init = Running(Spec(s => s with { Grace = TimeSpan.FromSeconds(1) }));
        Assert.Empty(init.Decide(new NoChildrenLeft(), T0));
        Assert.Empty(init.Decide(new TimerFired(T0), T0));
        Assert.Equal(new Exit(0), Exited(Running(Spec()), ExitStatus.Exited(0))[^1]);
    }
}
