using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

public class FailureAndShutdownTests
{
    static Sim Stopped(Sim sim)
    {
        // Every service asked to stop does so at once; then no process is left.
        foreach (var r in sim.Supervisor.Services.Where(r => r.State == ServiceState.Stopping).ToList())
            sim.Feed(new ProcessExited(r.Pid, ExitStatus.Exited(0)));
        return sim;
    }

    [Fact]
    public void Shutdown_stops_services_in_reverse_dependency_order()
    {
        var sim = new Sim(Oneshot("migrate"), Longrun("app") with { DependsOn = After("migrate", DependencyCondition.CompletedSuccessfully) }, Longrun("proxy", "app"), Longrun("worker", "app"));
        sim.Boot().Exit("migrate", 0).Signal(Signals.SIGTERM);
        // Only the services nothing depends on are stopping yet.
        Assert.Equal(ServiceState.Stopping, sim.State("proxy"));
        Assert.Equal(ServiceState.Stopping, sim.State("worker"));
        Assert.Equal(ServiceState.Running, sim.State("app"));
        sim.Feed(new ProcessExited(sim.Pids["proxy"], ExitStatus.Signaled(Signals.SIGTERM)));
        Assert.Equal(ServiceState.Running, sim.State("app"));
        sim.Feed(new ProcessExited(sim.Pids["worker"], ExitStatus.Exited(0)));
        Assert.Equal(ServiceState.Stopping, sim.State("app"));
        Stopped(sim);
        Assert.Contains(sim.Effects, e => e is SignalRemaining { Signal: Signals.SIGTERM });
        sim.Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void A_stop_sends_the_stop_signal_then_CONT_and_KILL_after_the_timeout()
    {
        var spec = Longrun("a") with { Stop = new StopSpec(Signals.SIGINT, TimeSpan.FromSeconds(3)) };
        var sim = new Sim(spec).Boot().Signal(Signals.SIGTERM);
        Assert.Equal([Signals.SIGINT, Signals.SIGCONT], sim.SignalsTo("a").Select(s => s.Signal));
        sim.Advance(TimeSpan.FromSeconds(2.9));
        Assert.DoesNotContain(sim.SignalsTo("a"), s => s.Signal == Signals.SIGKILL);
        sim.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Contains(sim.SignalsTo("a"), s => s.Signal == Signals.SIGKILL);
    }

    [Fact]
    public void A_service_stopped_by_corral_is_never_restarted()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot().Signal(Signals.SIGTERM);
        Stopped(sim).Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, sim.SpawnCount("a"));
        Assert.Equal(ServiceState.Exited, sim.State("a"));
    }

    [Fact]
    public void A_pending_restart_is_cancelled_by_shutdown()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot().Exit("a", 1).Signal(Signals.SIGTERM);
        Stopped(sim).Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, sim.SpawnCount("a"));
    }

    [Fact]
    public void A_main_service_ending_shuts_down_with_its_exit_code()
    {
        var sim = new Sim(Longrun("job") with { Main = true }, Longrun("sidecar")).Boot().Exit("job", 7);
        Assert.True(sim.Supervisor.ShuttingDown);
        Assert.Equal(ServiceState.Stopping, sim.State("sidecar"));
        Stopped(sim).Feed(new NoChildrenLeft());
        Assert.Equal(7, sim.ExitCode);
    }

    [Fact]
    public void A_main_service_killed_by_a_signal_gives_128_plus_N()
    {
        var sim = new Sim(Longrun("job") with { Main = true }).Boot().Kill("job", Signals.SIGKILL);
        sim.Feed(new NoChildrenLeft());
        Assert.Equal(137, sim.ExitCode);
    }

    [Fact]
    public void A_clean_signal_initiated_shutdown_exits_0()
    {
        var sim = new Sim(Longrun("a")).Boot().Signal(Signals.SIGINT);
        Stopped(sim).Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void On_failure_shutdown_exits_with_the_failed_services_code()
    {
        var spec = Longrun("db") with { Restart = RestartPolicy.Never, OnFailure = FailureAction.Shutdown };
        var sim = new Sim(spec, Longrun("web")).Boot().Exit("db", 5);
        Assert.True(sim.Supervisor.ShuttingDown);
        Stopped(sim).Feed(new NoChildrenLeft());
        Assert.Equal(5, sim.ExitCode);
    }

    [Fact]
    public void On_failure_stop_dependents_stops_what_depends_on_the_service_and_nothing_else()
    {
        var db = Longrun("db") with { MaxRestarts = 0, OnFailure = FailureAction.StopDependents };
        var sim = new Sim(db, Longrun("web", "db"), Longrun("cache", "web"), Longrun("other")).Boot().Exit("db", 1);
        Assert.Equal(ServiceState.Failed, sim.State("db"));
        Assert.Equal(ServiceState.Stopping, sim.State("web"));
        Assert.Equal(ServiceState.Stopping, sim.State("cache"));
        Assert.Equal(ServiceState.Running, sim.State("other"));
        Stopped(sim).Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ServiceState.Exited, sim.State("web"));
        Assert.Equal(1, sim.SpawnCount("web"));
        Assert.False(sim.Supervisor.ShuttingDown);
    }

    [Fact]
    public void On_failure_ignore_leaves_the_others_running()
    {
        var db = Longrun("db") with { MaxRestarts = 0 };
        var sim = new Sim(db, Longrun("web", "db")).Boot().Exit("db", 1);
        Assert.Equal(ServiceState.Failed, sim.State("db"));
        Assert.Equal(ServiceState.Running, sim.State("web"));
    }

    [Fact]
    public void The_shutdown_timeout_kills_everything_left()
    {
        var config = new SupervisorConfig { Services = [Longrun("a")], ShutdownTimeout = TimeSpan.FromSeconds(4) };
        var spec = config.Services[0] with { Stop = new StopSpec(Signals.SIGTERM, TimeSpan.FromMinutes(1)) };
        var sim = new Sim(config with { Services = [spec] }).Boot().Signal(Signals.SIGTERM);
        sim.Advance(TimeSpan.FromSeconds(4));
        Assert.Contains(sim.SignalsTo("a"), s => s.Signal == Signals.SIGKILL);
        Assert.Contains(sim.Effects, e => e is SignalRemaining { Signal: Signals.SIGKILL });
        sim.Advance(TimeSpan.FromSeconds(1));
        // The shutdown was asked for; needing SIGKILL for it does not make it a failure.
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void Leftover_processes_get_KILL_when_the_sweep_grace_ends()
    {
        var sim = new Sim(Longrun("a")).Boot().Signal(Signals.SIGTERM);
        Stopped(sim);
        Assert.Null(sim.ExitCode);
        sim.Advance(TimeSpan.FromSeconds(2));
        Assert.Contains(sim.Effects, e => e is SignalRemaining { Signal: Signals.SIGKILL });
        sim.Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void Other_signals_are_forwarded_to_every_running_service()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot().Signal(Signals.SIGUSR1);
        Assert.Equal(["a", "b"], sim.Effects.OfType<SignalService>().Where(s => s.Signal == Signals.SIGUSR1).Select(s => s.Service));
        Assert.False(sim.Supervisor.ShuttingDown);
    }

    [Fact]
    public void An_exit_of_an_unknown_pid_is_counted_as_a_reaped_orphan()
    {
        var sim = new Sim(Longrun("a")).Boot().Feed(new ProcessExited(9999, ExitStatus.Exited(0)));
        Assert.Equal(1, sim.Supervisor.ReapedOrphans);
        Assert.Equal(ServiceState.Running, sim.State("a"));
    }

    [Fact]
    public void A_second_SIGINT_during_shutdown_kills_everything_at_once()
    {
        var sim = new Sim(Longrun("a")).Boot().Signal(Signals.SIGINT).Signal(Signals.SIGINT);
        // The same INT delivered twice at once (to Corral and its group) is one request.
        Assert.DoesNotContain(sim.SignalsTo("a"), s => s.Signal == Signals.SIGKILL);
        sim.Advance(TimeSpan.FromSeconds(1)).Signal(Signals.SIGINT);
        Assert.Contains(sim.SignalsTo("a"), s => s.Signal == Signals.SIGKILL);
    }
}
