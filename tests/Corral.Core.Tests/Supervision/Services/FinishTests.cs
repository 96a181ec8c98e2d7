using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

/// <summary>s6's finish scripts and s6-rc's down commands, on the simulated clock (Pids[name] is the latest process spawned for it: the finish script's once it runs).</summary>
public class FinishTests
{
    static ServiceSpec WithFinish(string name) => Longrun(name) with { FinishCommand = ["finish-" + name], FinishTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void A_crash_runs_the_finish_script_with_the_exit_code_before_the_restart()
    {
        var sim = new Sim(WithFinish("a")).Boot();
        sim.Exit("a", 3);
        Assert.Equal(ServiceState.Finishing, sim.State("a"));
        var finish = sim.Effects.OfType<SpawnFinish>().Single();
        Assert.Equal(["finish-a", "3", "0"], finish.Argv.ToArray());
        Assert.True(sim.TimerArmed(TimerKind.FinishTimeout, "a"));
        Assert.False(sim.TimerArmed(TimerKind.Restart, "a"));
        sim.Exit("a", 0);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        Assert.False(sim.TimerArmed(TimerKind.FinishTimeout, "a"));
        sim.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(ServiceState.Running, sim.State("a"));
    }

    [Fact]
    public void A_process_killed_by_a_signal_gives_256_and_the_signal_number()
    {
        var sim = new Sim(WithFinish("a")).Boot();
        sim.Kill("a", Signals.SIGKILL);
        Assert.Equal(["finish-a", "256", "9"], sim.Effects.OfType<SpawnFinish>().Single().Argv.ToArray());
    }

    [Fact]
    public void Finish_exiting_125_keeps_the_service_down()
    {
        var sim = new Sim(WithFinish("a")).Boot();
        sim.Exit("a", 1).Exit("a", 125);
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Contains("125", sim.Supervisor["a"].Reason);
        sim.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, sim.SpawnCount("a"));
    }

    [Fact]
    public void A_finish_script_that_outlives_its_time_limit_is_killed()
    {
        var sim = new Sim(WithFinish("a")).Boot();
        sim.Exit("a", 1);
        var finishPid = sim.Pids["a"];
        sim.Advance(TimeSpan.FromSeconds(5));
        Assert.Contains(sim.SignalsTo("a"), s => s.Pid == finishPid && s.Signal == Signals.SIGKILL);
        Assert.Equal(ServiceState.Finishing, sim.State("a"));
        sim.Kill("a", Signals.SIGKILL);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
    }

    [Fact]
    public void At_shutdown_the_finish_script_runs_after_the_stop_and_before_the_exit()
    {
        var sim = new Sim(WithFinish("a")).Boot();
        sim.Signal(Signals.SIGTERM);
        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        sim.Kill("a", Signals.SIGTERM);
        Assert.Equal(ServiceState.Finishing, sim.State("a"));
        Assert.DoesNotContain(sim.Effects, e => e is SignalRemaining);
        sim.Exit("a", 0);
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Contains(sim.Effects, e => e is SignalRemaining);
        sim.Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void A_stop_request_while_finishing_keeps_it_down_afterwards()
    {
        var sim = new Sim(WithFinish("a")).Boot();
        sim.Exit("a", 1);
        sim.Feed(new ControlRequested(ControlVerb.Stop, "a"));
        sim.Exit("a", 0);
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.False(sim.TimerArmed(TimerKind.Restart, "a"));
    }

    [Fact]
    public void Oneshot_down_commands_run_at_shutdown_in_reverse_dependency_order()
    {
        var first = Oneshot("first") with { DownCommand = ["down-first"] };
        var second = Oneshot("second") with { DownCommand = ["down-second"], DependsOn = After("first", DependencyCondition.CompletedSuccessfully) };
        var web = Longrun("web") with { DependsOn = After("second", DependencyCondition.CompletedSuccessfully) };
        var sim = new Sim(first, second, web).Boot();
        sim.Exit("first", 0).Exit("second", 0);
        Assert.Equal(ServiceState.Running, sim.State("web"));
        sim.Signal(Signals.SIGTERM);
        Assert.Empty(sim.Effects.OfType<SpawnFinish>());
        sim.Kill("web", Signals.SIGTERM);
        Assert.Equal(["down-second"], sim.Effects.OfType<SpawnFinish>().Single().Argv.ToArray());
        Assert.Equal(ServiceState.Succeeded, sim.State("first"));
        sim.Exit("second", 0);
        Assert.Equal(["down-first"], sim.Effects.OfType<SpawnFinish>().Last().Argv.ToArray());
        sim.Exit("first", 0);
        Assert.Equal(ServiceState.Exited, sim.State("first"));
        Assert.Contains(sim.Effects, e => e is SignalRemaining);
    }

    [Fact]
    public void A_oneshot_with_nothing_to_run_up_succeeds_at_once()
    {
        var marker = new ServiceSpec { Name = "marker", Command = [], Type = ServiceType.Oneshot, DownCommand = ["down-marker"] };
        var web = Longrun("web") with { DependsOn = After("marker", DependencyCondition.CompletedSuccessfully) };
        var sim = new Sim(marker, web).Boot();
        Assert.Equal(ServiceState.Succeeded, sim.State("marker"));
        Assert.Equal(0, sim.SpawnCount("marker"));
        Assert.Equal(ServiceState.Running, sim.State("web"));
    }

    static SupervisorConfig WaitingCmd(bool fatal) => new()
    {
        Services = [Longrun("slow") with { Ready = new ReadySpec(ReadinessKind.NotifyFd, 3) },
            Longrun("cmd") with { Main = true, Restart = RestartPolicy.Never, DependsOn = After("slow", DependencyCondition.Ready) }],
        MainWaitLimit = TimeSpan.FromSeconds(2),
        MainWaitIsFatal = fatal,
    };

    [Fact]
    public void A_main_service_still_waiting_when_the_wait_limit_is_over_starts_anyway()
    {
        var sim = new Sim(WaitingCmd(fatal: false)).Boot();
        Assert.Equal(ServiceState.Waiting, sim.State("cmd"));
        sim.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ServiceState.Running, sim.State("cmd"));
        Assert.Contains(sim.Effects.OfType<Log>(), l => l.Service == "cmd" && l.Message.Contains("starting it anyway", StringComparison.Ordinal));
    }

    [Fact]
    public void With_a_fatal_wait_limit_a_main_service_that_cannot_start_in_time_stops_everything_with_2()
    {
        var sim = new Sim(WaitingCmd(fatal: true)).Boot();
        sim.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ServiceState.Skipped, sim.State("cmd"));
        Assert.Equal(2, sim.Supervisor.ExitCode);
    }
}
