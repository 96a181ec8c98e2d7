using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Planning;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

/// <summary><c>corral ctl start|stop|restart|signal|shutdown</c> as the supervisor sees them.</summary>
public class ControlTests
{
    static Sim Stop(Sim sim, string service) => sim.Feed(new ControlRequested(ControlVerb.Stop, service));
    static Sim Start(Sim sim, string service) => sim.Feed(new ControlRequested(ControlVerb.Start, service));
    static Sim Restart(Sim sim, string service) => sim.Feed(new ControlRequested(ControlVerb.Restart, service));

    static Plan PlanOf(params ServiceSpec[] services) => PlanCompiler.Compile(new SupervisorConfig { Services = [.. services] }).Plan!;

    static ServiceSpec Db() => Longrun("db") with { Ready = new ReadySpec(ReadinessKind.NotifyFd, 3) };

    static IEnumerable<string> Logs(Sim sim, LogLevel level, string? service) =>
        sim.Effects.OfType<Log>().Where(l => l.Level == level && l.Service == service).Select(l => l.Message);

    /// <summary>The service's current process exits after its stop signal, as a well-behaved one does.</summary>
    static Sim Terminated(Sim sim, string service) => sim.Kill(service, Signals.SIGTERM);

    [Fact]
    public void Stop_sends_the_stop_signal_and_the_service_is_never_restarted_afterwards()
    {
        var spec = Longrun("a") with { Restart = RestartPolicy.Always, Stop = new StopSpec(Signals.SIGINT, TimeSpan.FromSeconds(3)) };
        var sim = new Sim(spec, Longrun("b")).Boot();
        var pid = sim.Pids["a"];
        Stop(sim, "a");

        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        Assert.Equal([(Signals.SIGINT, pid), (Signals.SIGCONT, pid)], sim.SignalsTo("a").Select(s => (s.Signal, s.Pid)));
        Assert.True(sim.TimerArmed(TimerKind.StopTimeout, "a"));
        Assert.Contains("stopping by request", Logs(sim, LogLevel.Info, "a"));

        sim.Kill("a", Signals.SIGINT);
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal("stopped by request", sim.Supervisor["a"].Reason);
        Assert.True(sim.Supervisor["a"].HeldDown);
        Assert.False(sim.TimerArmed(TimerKind.Restart, "a"));
        Assert.False(sim.TimerArmed(TimerKind.StopTimeout, "a"));

        sim.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, sim.SpawnCount("a"));
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal(ServiceState.Running, sim.State("b"));
        Assert.Equal(0, sim.Supervisor["a"].Restarts);
    }

    [Fact]
    public void Stop_of_a_process_that_ignores_its_stop_signal_ends_in_KILL_and_still_no_restart()
    {
        var sim = new Sim(Longrun("a")).Boot();
        Stop(sim, "a").Advance(TimeSpan.FromSeconds(10));
        Assert.Contains(sim.SignalsTo("a"), s => s.Signal == Signals.SIGKILL);
        sim.Kill("a", Signals.SIGKILL).Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal(1, sim.SpawnCount("a"));
    }

    [Fact]
    public void Stop_during_backoff_calls_off_the_pending_restart()
    {
        var sim = new Sim(Longrun("a")).Boot().Exit("a", 1);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        Stop(sim, "a");

        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal("stopped by request", sim.Supervisor["a"].Reason);
        Assert.False(sim.TimerArmed(TimerKind.Restart, "a"));
        Assert.Contains(sim.Effects, e => e is CancelTimer { Key: { Kind: TimerKind.Restart, Service: "a" } });
        sim.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, sim.SpawnCount("a"));
    }

    [Fact]
    public void Stop_of_a_waiting_service_holds_it_down_when_its_dependencies_become_ready()
    {
        var web = Longrun("web") with { DependsOn = After("db", DependencyCondition.Ready) };
        var sim = new Sim(Db(), web).Boot();
        Assert.Equal(ServiceState.Waiting, sim.State("web"));
        Stop(sim, "web");
        Assert.Equal(ServiceState.Exited, sim.State("web"));
        Assert.True(sim.Supervisor["web"].HeldDown);

        sim.Feed(new Notified("db", sim.Pids["db"], NotifyKind.Ready));
        Assert.True(sim.Supervisor["db"].IsReady);
        Assert.Equal(ServiceState.Exited, sim.State("web"));
        Assert.Equal(0, sim.SpawnCount("web"));
    }

    [Fact]
    public void Stop_while_the_spawn_is_under_way_stops_the_process_as_soon_as_its_pid_is_known()
    {
        var sim = new Sim(Longrun("a"));
        sim.HoldSpawnOf("a");
        sim.Boot();
        Assert.Equal(ServiceState.Starting, sim.State("a"));
        Stop(sim, "a").CompleteSpawn("a");

        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        Assert.Contains(sim.SignalsTo("a"), s => s.Signal == Signals.SIGTERM && s.Pid == sim.Pids["a"]);
        Terminated(sim, "a").Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal(1, sim.SpawnCount("a"));
    }

    [Fact]
    public void Stop_leaves_the_dependents_running()
    {
        var sim = new Sim(Longrun("db"), Longrun("web", "db")).Boot();
        Terminated(Stop(sim, "db"), "db");
        Assert.Equal(ServiceState.Exited, sim.State("db"));
        Assert.Equal(ServiceState.Running, sim.State("web"));
        Assert.Empty(sim.SignalsTo("web"));
    }

    [Fact]
    public void Stop_of_a_service_stopping_for_a_failed_start_keeps_it_down()
    {
        var a = Longrun("a") with { Ready = new ReadySpec(ReadinessKind.NotifyFd, 3), ReadyTimeout = TimeSpan.FromSeconds(1) };
        var sim = new Sim(a).Boot().Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        Stop(sim, "a");
        Terminated(sim, "a").Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal("stopped by request", sim.Supervisor["a"].Reason);
        Assert.Equal(1, sim.SpawnCount("a"));
    }

    [Fact]
    public void Start_after_a_stop_runs_the_service_again_under_its_restart_policy()
    {
        var sim = new Sim(Longrun("a")).Boot();
        var first = sim.Pids["a"];
        Terminated(Stop(sim, "a"), "a");
        Start(sim, "a");

        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.NotEqual(first, sim.Supervisor["a"].Pid);
        Assert.False(sim.Supervisor["a"].HeldDown);
        Assert.Null(sim.Supervisor["a"].Reason);
        Assert.Equal(2, sim.SpawnCount("a"));

        // Held down no more: a crash is restarted again.
        sim.Exit("a", 1);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        sim.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(3, sim.SpawnCount("a"));
    }

    [Fact]
    public void Start_of_a_service_that_gave_up_clears_its_counters_and_backoff()
    {
        var spec = Longrun("a") with { MaxRestarts = 2, RestartWindow = TimeSpan.FromMinutes(10) };
        var sim = new Sim(spec).Boot();
        sim.Exit("a", 1).Advance(TimeSpan.FromSeconds(1));
        sim.Exit("a", 1).Advance(TimeSpan.FromSeconds(1));
        sim.Exit("a", 1);
        Assert.Equal(ServiceState.Failed, sim.State("a"));

        Start(sim, "a");
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Null(sim.Supervisor["a"].Reason);

        // The window and the backoff start over: two more restarts are allowed, the first after 100 ms.
        sim.Exit("a", 1);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        var spawns = sim.SpawnCount("a");
        sim.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(spawns + 1, sim.SpawnCount("a"));
        sim.Exit("a", 1).Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ServiceState.Running, sim.State("a"));
    }

    [Fact]
    public void Start_during_backoff_starts_at_once_and_is_not_counted_as_a_restart()
    {
        var sim = new Sim(Longrun("a") with { Backoff = Backoff.Default with { Initial = TimeSpan.FromSeconds(20) } }).Boot().Exit("a", 1);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        Start(sim, "a");
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(2, sim.SpawnCount("a"));
        Assert.False(sim.TimerArmed(TimerKind.Restart, "a"));
        Assert.Equal(0, sim.Supervisor["a"].Restarts);
        sim.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, sim.SpawnCount("a"));
    }

    [Fact]
    public void Start_waits_for_dependencies_that_are_not_up_and_starts_once_they_are_ready()
    {
        var web = Longrun("web") with { DependsOn = After("db", DependencyCondition.Ready) };
        var sim = new Sim(Db(), web).Boot().Feed(new Notified("db", 0, NotifyKind.Ready));
        Assert.Equal(ServiceState.Running, sim.State("web"));
        Terminated(Stop(sim, "web"), "web");
        Terminated(Stop(sim, "db"), "db");

        // db is held down, not gone for good: web waits for it rather than being skipped.
        Start(sim, "web");
        Assert.Equal(ServiceState.Waiting, sim.State("web"));
        Start(sim, "db");
        Assert.Equal(ServiceState.Running, sim.State("db"));
        Assert.Equal(ServiceState.Waiting, sim.State("web"));
        sim.Feed(new Notified("db", 0, NotifyKind.Ready));
        Assert.Equal(ServiceState.Running, sim.State("web"));
        Assert.Equal(2, sim.SpawnCount("web"));
    }

    [Fact]
    public void Start_of_a_service_whose_dependency_failed_for_good_skips_it_again_with_the_reason()
    {
        var db = Longrun("db") with { Restart = RestartPolicy.Never };
        var sim = new Sim(db, Longrun("web", "db")).Boot();
        Terminated(Stop(sim, "web"), "web");
        sim.Exit("db", 3);
        Assert.Equal(ServiceState.Failed, sim.State("db"));

        Start(sim, "web");
        Assert.Equal(ServiceState.Skipped, sim.State("web"));
        Assert.Contains("dependency 'db' failed", sim.Supervisor["web"].Reason);
        Assert.Equal(1, sim.SpawnCount("web"));
    }

    [Fact]
    public void Start_of_a_oneshot_that_succeeded_runs_it_again()
    {
        var sim = new Sim(Oneshot("seed"), Longrun("app")).Boot().Exit("seed", 0);
        Assert.Equal(ServiceState.Succeeded, sim.State("seed"));
        Start(sim, "seed");
        Assert.Equal(ServiceState.Running, sim.State("seed"));
        Assert.Equal(2, sim.SpawnCount("seed"));
        sim.Exit("seed", 0);
        Assert.Equal(ServiceState.Succeeded, sim.State("seed"));
    }

    [Fact]
    public void Start_while_stopping_by_request_starts_it_again_once_it_has_exited()
    {
        var sim = new Sim(Longrun("a")).Boot();
        Stop(sim, "a");
        Start(sim, "a");
        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        Assert.Equal(1, sim.SpawnCount("a"));
        Terminated(sim, "a");
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(2, sim.SpawnCount("a"));
    }

    [Fact]
    public void Start_of_a_running_service_does_nothing()
    {
        var sim = new Sim(Longrun("a")).Boot();
        var pid = sim.Pids["a"];
        Start(sim, "a");
        Assert.Equal(1, sim.SpawnCount("a"));
        Assert.Empty(sim.SignalsTo("a"));
        Assert.Equal(pid, sim.Supervisor["a"].Pid);
    }

    [Fact]
    public void Restart_of_a_running_service_stops_it_then_spawns_it_once_it_has_exited()
    {
        var sim = new Sim(Longrun("a")).Boot();
        var first = sim.Pids["a"];
        Restart(sim, "a");

        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        Assert.Contains(sim.SignalsTo("a"), s => s.Signal == Signals.SIGTERM && s.Pid == first);
        Assert.Equal(1, sim.SpawnCount("a"));

        Terminated(sim, "a");
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(2, sim.SpawnCount("a"));
        Assert.NotEqual(first, sim.Supervisor["a"].Pid);
        // A requested restart is neither counted nor a crash.
        Assert.Equal(0, sim.Supervisor["a"].Restarts);
        Assert.False(sim.TimerArmed(TimerKind.Restart, "a"));
        Assert.False(sim.Supervisor["a"].HeldDown);
    }

    [Fact]
    public void Restart_does_not_feed_the_backoff()
    {
        var sim = new Sim(Longrun("a") with { MaxRestarts = 1 }).Boot();
        sim.Exit("a", 1).Advance(TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 5; i++) Terminated(Restart(sim, "a"), "a");
        Assert.Equal(ServiceState.Running, sim.State("a"));
        // One crash is still allowed after the requests, and it comes back after the first delay.
        sim.Exit("a", 1);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        var spawns = sim.SpawnCount("a");
        sim.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(spawns + 1, sim.SpawnCount("a"));
    }

    [Fact]
    public void Restarting_a_service_and_its_dependent_together_brings_both_back_in_order()
    {
        // worker needs app started; both are restarted at once (a group), and worker's process
        // happens to exit first, while app is still stopping: it must wait for app, not be skipped.
        var sim = new Sim(Longrun("app"), Longrun("worker", "app")).Boot();
        var app = sim.Pids["app"];
        var worker = sim.Pids["worker"];
        Restart(sim, "app");
        Restart(sim, "worker");
        Terminated(sim, "worker");
        Assert.Equal(ServiceState.Waiting, sim.State("worker"));
        Terminated(sim, "app");
        Assert.Equal(ServiceState.Running, sim.State("app"));
        Assert.Equal(ServiceState.Running, sim.State("worker"));
        Assert.NotEqual(app, sim.Supervisor["app"].Pid);
        Assert.NotEqual(worker, sim.Supervisor["worker"].Pid);
    }

    [Fact]
    public void Restart_of_a_stopped_service_starts_it()
    {
        var sim = new Sim(Longrun("a")).Boot();
        Terminated(Stop(sim, "a"), "a");
        Restart(sim, "a");
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(2, sim.SpawnCount("a"));
        Assert.False(sim.Supervisor["a"].HeldDown);
    }

    [Fact]
    public void Stop_after_restart_was_asked_keeps_the_service_down()
    {
        var sim = new Sim(Longrun("a")).Boot();
        Restart(sim, "a");
        Stop(sim, "a");
        Terminated(sim, "a").Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal(1, sim.SpawnCount("a"));
    }

    [Fact]
    public void A_stop_reaches_the_services_strays_but_not_at_shutdown_where_the_final_sweep_ends_them()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot();
        Stop(sim, "a");
        Assert.All(sim.SignalsTo("a"), s => Assert.True(s.Strays));
        Terminated(sim, "a");
        // Once its process has exited, what is left of it (group and strays) gets SIGKILL.
        Assert.Contains(sim.SignalsTo("a"), s => s.Signal == Signals.SIGKILL && s.Strays);
        // A person's signal is only the group's.
        sim.Feed(new SignalRequested("b", Signals.SIGUSR1));
        Assert.False(sim.SignalsTo("b").Single().Strays);

        sim.Feed(new ShutdownRequested("test"));
        var stops = sim.SignalsTo("b").Skip(1).ToList();
        Assert.NotEmpty(stops);
        Assert.All(stops, s => Assert.False(s.Strays));
    }

    [Fact]
    public void Signal_goes_to_the_process_group_of_a_running_service()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot();
        sim.Feed(new SignalRequested("a", Signals.SIGUSR1));
        var sent = Assert.Single(sim.Effects.OfType<SignalService>());
        // Its main process leads that group: no second signal to it (MainPid 0).
        Assert.Equal(new SignalService("a", sim.Supervisor["a"].Group, Signals.SIGUSR1), sent);
        Assert.Equal(ServiceState.Running, sim.State("a"));

        // Numbers that are no signal are not passed on.
        sim.Feed(new SignalRequested("a", 0)).Feed(new SignalRequested("a", 99)).Feed(new SignalRequested("a", -9));
        Assert.Single(sim.Effects.OfType<SignalService>());
    }

    [Fact]
    public void Signal_to_a_service_that_is_not_running_sends_nothing()
    {
        var sim = new Sim(Longrun("a"), Longrun("b") with { Restart = RestartPolicy.Never }).Boot().Exit("b", 0);
        sim.Feed(new SignalRequested("b", Signals.SIGHUP));
        Assert.Empty(sim.SignalsTo("b"));
        sim.Exit("a", 1).Feed(new SignalRequested("a", Signals.SIGHUP));
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        Assert.Empty(sim.SignalsTo("a"));
        Assert.Empty(sim.Effects.OfType<SignalService>());
    }

    [Fact]
    public void Shutdown_request_stops_in_reverse_dependency_order_and_exits_0()
    {
        var sim = new Sim(Longrun("db"), Longrun("app", "db"), Longrun("proxy", "app")).Boot();
        sim.Feed(new ShutdownRequested("shutdown asked for by ctl"));
        Assert.True(sim.Supervisor.ShuttingDown);
        Assert.Contains("shutdown asked for by ctl", Logs(sim, LogLevel.Info, null));
        Assert.Equal(ServiceState.Stopping, sim.State("proxy"));
        Assert.Equal(ServiceState.Running, sim.State("app"));
        Assert.Equal(ServiceState.Running, sim.State("db"));
        Terminated(sim, "proxy");
        Assert.Equal(ServiceState.Stopping, sim.State("app"));
        Assert.Equal(ServiceState.Running, sim.State("db"));
        Terminated(sim, "app");
        Terminated(sim, "db");
        Assert.True(sim.FirstSignalIndex("proxy", Signals.SIGTERM) < sim.FirstSignalIndex("app", Signals.SIGTERM));
        Assert.True(sim.FirstSignalIndex("app", Signals.SIGTERM) < sim.FirstSignalIndex("db", Signals.SIGTERM));
        sim.Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void A_second_shutdown_request_changes_nothing()
    {
        var sim = new Sim(Longrun("a")).Boot().Feed(new ShutdownRequested("first"));
        var effects = sim.Effects.Count;
        sim.Feed(new ShutdownRequested("second"));
        Assert.DoesNotContain(sim.Effects.Skip(effects), e => e is SignalService or ArmTimer);
        Terminated(sim, "a").Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void Start_and_restart_are_ignored_while_shutting_down()
    {
        var sim = new Sim(Longrun("a"), Longrun("b"), Longrun("c")).Boot();
        Terminated(Stop(sim, "b"), "b");
        sim.Feed(new ShutdownRequested("bye"));
        Start(sim, "b");
        Restart(sim, "a");
        Assert.Equal(ServiceState.Exited, sim.State("b"));
        Assert.Contains(Logs(sim, LogLevel.Warning, "b"), m => m.Contains("shutting down"));
        Assert.Contains(Logs(sim, LogLevel.Warning, "a"), m => m.Contains("shutting down"));

        Terminated(sim, "a");
        Terminated(sim, "c");
        Assert.Equal(ServiceState.Exited, sim.State("a"));
        Assert.Equal(1, sim.SpawnCount("a"));
        Assert.Equal(1, sim.SpawnCount("b"));
        sim.Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void A_main_service_stopped_by_request_does_not_shut_corral_down()
    {
        var sim = new Sim(Longrun("job") with { Main = true }, Longrun("sidecar")).Boot();
        Stop(sim, "job").Exit("job", 1);
        Assert.False(sim.Supervisor.ShuttingDown);
        Assert.Equal(ServiceState.Exited, sim.State("job"));
        Assert.Equal(ServiceState.Running, sim.State("sidecar"));
        Assert.Null(sim.ExitCode);

        // It can be started again, and ending on its own still ends everything.
        Start(sim, "job");
        Assert.Equal(ServiceState.Running, sim.State("job"));
        sim.Exit("job", 7);
        Assert.True(sim.Supervisor.ShuttingDown);
        Terminated(sim, "sidecar").Feed(new NoChildrenLeft());
        Assert.Equal(7, sim.ExitCode);
    }

    [Fact]
    public void A_main_service_restarted_by_request_does_not_shut_corral_down()
    {
        var sim = new Sim(Longrun("job") with { Main = true }).Boot();
        Terminated(Restart(sim, "job"), "job");
        Assert.False(sim.Supervisor.ShuttingDown);
        Assert.Equal(ServiceState.Running, sim.State("job"));
        Assert.Equal(2, sim.SpawnCount("job"));
    }

    [Fact]
    public void Stop_does_not_trigger_on_failure_even_with_a_failing_exit_code()
    {
        var db = Longrun("db") with { Restart = RestartPolicy.Never, OnFailure = FailureAction.Shutdown };
        var cache = Longrun("cache") with { OnFailure = FailureAction.StopDependents };
        var sim = new Sim(db, cache, Longrun("web", "cache")).Boot();
        Stop(sim, "db").Exit("db", 1);
        Stop(sim, "cache").Kill("cache", Signals.SIGKILL);
        Assert.False(sim.Supervisor.ShuttingDown);
        Assert.Equal(ServiceState.Exited, sim.State("db"));
        Assert.Equal(ServiceState.Exited, sim.State("cache"));
        Assert.Equal(ServiceState.Running, sim.State("web"));
        Assert.Empty(Logs(sim, LogLevel.Error, "db"));
    }

    [Fact]
    public void Restart_of_a_service_removed_by_a_reload_does_not_bring_it_back()
    {
        // Restart asked first, then the reload removes the service while it stops.
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot();
        var oldB = sim.Pids["b"];
        Restart(sim, "b");
        sim.Feed(new Reload(PlanOf(Longrun("a"))));
        sim.Feed(new ProcessExited(oldB, ExitStatus.Signaled(Signals.SIGTERM))).Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(sim.Supervisor.Services, r => r.Name == "b");
        Assert.Equal(1, sim.SpawnCount("b"));

        // The reload first, then a restart of the service on its way out.
        var sim2 = new Sim(Longrun("a"), Longrun("b")).Boot();
        oldB = sim2.Pids["b"];
        sim2.Feed(new Reload(PlanOf(Longrun("a"))));
        Restart(sim2, "b");
        Start(sim2, "b");
        Assert.Contains(Logs(sim2, LogLevel.Warning, "b"), m => m.Contains("removed by a reload"));
        sim2.Feed(new ProcessExited(oldB, ExitStatus.Signaled(Signals.SIGTERM))).Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(sim2.Supervisor.Services, r => r.Name == "b");
        Assert.Equal(1, sim2.SpawnCount("b"));
    }

    [Fact]
    public void Restart_of_a_service_changed_by_a_reload_starts_its_new_settings_once()
    {
        var sim = new Sim(Longrun("a")).Boot();
        Restart(sim, "a");
        sim.Feed(new Reload(PlanOf(Longrun("a") with { Command = ["new-a"] })));
        Terminated(sim, "a");
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(["new-a"], sim.Supervisor["a"].Spec.Command.ToArray());
        Assert.Equal(2, sim.SpawnCount("a"));
    }

    [Fact]
    public void A_held_down_service_changed_by_a_reload_stays_down_until_started()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot();
        Terminated(Stop(sim, "b"), "b");
        sim.Feed(new Reload(PlanOf(Longrun("a"), Longrun("b") with { Command = ["new-b"] })));
        Assert.Equal(ServiceState.Exited, sim.State("b"));
        Assert.True(sim.Supervisor["b"].HeldDown);
        Assert.Equal(1, sim.SpawnCount("b"));

        Start(sim, "b");
        Assert.Equal(ServiceState.Running, sim.State("b"));
        Assert.Equal(["new-b"], sim.Supervisor["b"].Spec.Command.ToArray());
    }

    [Fact]
    public void Requests_for_an_unknown_service_are_ignored()
    {
        var sim = new Sim(Longrun("a")).Boot();
        var pid = sim.Pids["a"];
        foreach (var verb in new[] { ControlVerb.Start, ControlVerb.Stop, ControlVerb.Restart })
            sim.Feed(new ControlRequested(verb, "nope"));
        sim.Feed(new SignalRequested("nope", Signals.SIGKILL));

        Assert.Single(sim.Spawns);
        Assert.Empty(sim.Effects.OfType<SignalService>());
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(pid, sim.Supervisor["a"].Pid);
        Assert.False(sim.Supervisor.ShuttingDown);
    }
}
