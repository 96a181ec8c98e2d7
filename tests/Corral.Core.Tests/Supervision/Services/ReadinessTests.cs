using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

public class ReadinessTests
{
    static ProbeSpec Probe(ProbeKind kind = ProbeKind.Tcp, int failures = 3, int successes = 1) => new()
    {
        Kind = kind,
        Port = 80,
        Period = TimeSpan.FromSeconds(10),
        InitialDelay = TimeSpan.FromSeconds(1),
        FailureThreshold = failures,
        SuccessThreshold = successes,
    };

    static ServiceSpec Db() => Longrun("db") with { Ready = new ReadySpec(ReadinessKind.NotifyFd, 3) };

    static ServiceSpec Web(DependencyCondition condition = DependencyCondition.Ready) =>
        Longrun("web") with { DependsOn = After("db", condition) };

    [Fact]
    public void A_ready_dependent_waits_for_the_readiness_signal_not_just_the_start()
    {
        var sim = new Sim(Db(), Web()).Boot();
        Assert.Equal(ServiceState.Running, sim.State("db"));
        Assert.False(sim.Supervisor["db"].IsReady);
        Assert.Equal(ServiceState.Waiting, sim.State("web"));
        sim.Feed(new Notified("db", sim.Pids["db"], NotifyKind.Ready));
        Assert.True(sim.Supervisor["db"].IsReady);
        Assert.Equal(ServiceState.Running, sim.State("web"));
    }

    [Fact]
    public void A_started_dependent_does_not_wait_for_readiness()
    {
        var sim = new Sim(Db(), Web(DependencyCondition.Started)).Boot();
        Assert.Equal(ServiceState.Running, sim.State("web"));
    }

    [Fact]
    public void A_readiness_signal_from_an_old_process_is_ignored()
    {
        var sim = new Sim(Db(), Web()).Boot();
        var old = sim.Pids["db"];
        sim.Exit("db", 1).Advance(TimeSpan.FromSeconds(1));
        sim.Feed(new Notified("db", old, NotifyKind.Ready));
        Assert.False(sim.Supervisor["db"].IsReady);
        sim.Feed(new Notified("db", 0, NotifyKind.Ready));
        Assert.True(sim.Supervisor["db"].IsReady);
    }

    [Fact]
    public void A_service_that_never_becomes_ready_fails_its_start_after_ready_timeout()
    {
        var db = Db() with { ReadyTimeout = TimeSpan.FromSeconds(5), Restart = RestartPolicy.Never };
        var sim = new Sim(db, Web()).Boot().Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(ServiceState.Running, sim.State("db"));
        sim.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(ServiceState.Stopping, sim.State("db"));
        Assert.Contains(sim.SignalsTo("db"), s => s.Signal == Signals.SIGTERM);
        sim.Kill("db", Signals.SIGTERM);
        Assert.Equal(ServiceState.Failed, sim.State("db"));
        Assert.Contains("not ready within 5s", sim.Supervisor["db"].Reason);
        Assert.Equal(ServiceState.Skipped, sim.State("web"));
    }

    [Fact]
    public void A_ready_timeout_failure_goes_through_the_restart_policy()
    {
        var db = Db() with { ReadyTimeout = TimeSpan.FromSeconds(5) };
        var sim = new Sim(db).Boot().Advance(TimeSpan.FromSeconds(5)).Kill("db", Signals.SIGTERM);
        Assert.Equal(ServiceState.Backoff, sim.State("db"));
        sim.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, sim.SpawnCount("db"));
    }

    [Fact]
    public void A_liveness_probe_failing_its_threshold_restarts_the_service()
    {
        var sim = new Sim(Longrun("a") with { LivenessProbe = Probe(failures: 3) }).Boot();
        for (var i = 0; i < 3; i++)
        {
            sim.Advance(TimeSpan.FromSeconds(i == 0 ? 1 : 10));
            var request = sim.Effects.OfType<RunProbe>().Last();
            Assert.Equal(ProbeRole.Liveness, request.Role);
            sim.Feed(new ProbeResult("a", request.Pid, ProbeRole.Liveness, false, "refused"));
            Assert.Equal(i < 2 ? ServiceState.Running : ServiceState.Stopping, sim.State("a"));
        }
        sim.Kill("a", Signals.SIGTERM);
        Assert.Equal(ServiceState.Backoff, sim.State("a"));
        Assert.Contains("liveness probe failed 3 times", sim.Supervisor["a"].Reason);
    }

    [Fact]
    public void A_failing_readiness_probe_takes_readiness_away_but_never_restarts()
    {
        var sim = new Sim(Longrun("a") with { ReadinessProbe = Probe(failures: 2) }).Boot();
        sim.Advance(TimeSpan.FromSeconds(1));
        sim.Feed(new ProbeResult("a", sim.Pids["a"], ProbeRole.Readiness, true));
        Assert.True(sim.Supervisor["a"].IsReady);
        for (var i = 0; i < 10; i++)
        {
            sim.Advance(TimeSpan.FromSeconds(10));
            sim.Feed(new ProbeResult("a", sim.Pids["a"], ProbeRole.Readiness, false));
        }
        Assert.False(sim.Supervisor["a"].IsReady);
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(1, sim.SpawnCount("a"));
        Assert.DoesNotContain(sim.SignalsTo("a"), _ => true);
    }

    [Fact]
    public void The_startup_probe_gates_the_liveness_probe()
    {
        var spec = Longrun("a") with { StartupProbe = Probe(failures: 30), LivenessProbe = Probe(failures: 1) };
        var sim = new Sim(spec).Boot().Advance(TimeSpan.FromSeconds(1));
        Assert.All(sim.Effects.OfType<RunProbe>(), p => Assert.Equal(ProbeRole.Startup, p.Role));
        sim.Feed(new ProbeResult("a", sim.Pids["a"], ProbeRole.Startup, false));
        sim.Advance(TimeSpan.FromSeconds(10));
        Assert.All(sim.Effects.OfType<RunProbe>(), p => Assert.Equal(ProbeRole.Startup, p.Role));
        sim.Feed(new ProbeResult("a", sim.Pids["a"], ProbeRole.Startup, true));
        Assert.True(sim.Supervisor["a"].IsReady);
        sim.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeRole.Liveness, sim.Effects.OfType<RunProbe>().Last().Role);
    }

    [Fact]
    public void A_startup_probe_that_keeps_failing_fails_the_start()
    {
        var spec = Longrun("a") with { StartupProbe = Probe(failures: 2), Restart = RestartPolicy.Never };
        var sim = new Sim(spec).Boot().Advance(TimeSpan.FromSeconds(1));
        sim.Feed(new ProbeResult("a", sim.Pids["a"], ProbeRole.Startup, false)).Advance(TimeSpan.FromSeconds(10));
        sim.Feed(new ProbeResult("a", sim.Pids["a"], ProbeRole.Startup, false));
        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        sim.Kill("a", Signals.SIGTERM);
        Assert.Equal(ServiceState.Failed, sim.State("a"));
    }

    [Fact]
    public void Probes_are_asked_for_one_at_a_time_per_role()
    {
        var sim = new Sim(Longrun("a") with { LivenessProbe = Probe() }).Boot().Advance(TimeSpan.FromMinutes(5));
        // No result came back: only the first probe was asked for.
        Assert.Single(sim.Effects.OfType<RunProbe>());
    }

    [Fact]
    public void The_watchdog_restarts_a_service_that_stops_pinging()
    {
        var spec = Longrun("a") with { Ready = new ReadySpec(ReadinessKind.Notify), Watchdog = TimeSpan.FromSeconds(5) };
        var sim = new Sim(spec).Boot();
        for (var i = 0; i < 5; i++)
        {
            sim.Advance(TimeSpan.FromSeconds(4));
            sim.Feed(new Notified("a", 0, NotifyKind.Watchdog));
        }
        Assert.Equal(ServiceState.Running, sim.State("a"));
        sim.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ServiceState.Stopping, sim.State("a"));
        Assert.Contains("watchdog", sim.Supervisor["a"].Reason);
    }

    [Fact]
    public void Sd_notify_status_is_kept_and_shown()
    {
        var spec = Longrun("a") with { Ready = new ReadySpec(ReadinessKind.Notify) };
        var sim = new Sim(spec).Boot().Feed(new Notified("a", 0, NotifyKind.Status, "warming caches"));
        Assert.Equal("warming caches", sim.Supervisor["a"].StatusText);
    }

    [Fact]
    public void A_healthy_dependent_waits_for_a_passing_liveness_view()
    {
        var db = Db();
        var sim = new Sim(db, Web(DependencyCondition.Healthy)).Boot();
        Assert.Equal(ServiceState.Waiting, sim.State("web"));
        sim.Feed(new Notified("db", 0, NotifyKind.Ready));
        Assert.Equal(ServiceState.Running, sim.State("web"));
    }

    [Fact]
    public void MAINPID_hands_the_main_role_to_another_process_and_signals_still_go_to_the_group()
    {
        var spec = Longrun("d") with { Ready = new ReadySpec(ReadinessKind.Notify) };
        var sim = new Sim(spec).Boot();
        var spawned = sim.Pids["d"];
        sim.Feed(new Notified("d", 0, NotifyKind.MainPid, "4242")).Feed(new Notified("d", 0, NotifyKind.Ready));
        Assert.Equal(4242, sim.Supervisor["d"].Pid);
        // The launcher exits, as a forking daemon's does: the service lives on.
        sim.Feed(new ProcessExited(spawned, ExitStatus.Exited(0)));
        Assert.Equal(ServiceState.Running, sim.State("d"));
        Assert.True(sim.Supervisor["d"].IsReady);
        sim.Signal(Signals.SIGTERM);
        Assert.Contains(sim.SignalsTo("d"), s => s.Pid == spawned && s.Signal == Signals.SIGTERM);
        // The new main process exiting is the service's end.
        sim.Feed(new ProcessExited(4242, ExitStatus.Exited(0)));
        Assert.Equal(ServiceState.Exited, sim.State("d"));
    }

    [Theory]
    [InlineData(0, 0)]       // its group unknown (it is gone already): the group signal is all
    [InlineData(-1, 0)]      // same group as the service: one signal reaches it
    [InlineData(777, 4242)]  // it left the group (setsid): it gets the signal as well
    public void A_main_process_named_by_MAINPID_gets_signals_itself_only_when_it_left_the_service_group(int groupOffset, int expectedMainPid)
    {
        var spec = Longrun("d") with { Ready = new ReadySpec(ReadinessKind.Notify) };
        var sim = new Sim(spec).Boot();
        var spawned = sim.Pids["d"];
        var group = groupOffset == -1 ? spawned : groupOffset;
        sim.Feed(new Notified("d", 0, NotifyKind.MainPid, "4242", MainGroup: group));
        sim.Feed(new SignalRequested("d", Signals.SIGHUP));
        var sent = Assert.Single(sim.SignalsTo("d"));
        Assert.Equal(new SignalService("d", spawned, Signals.SIGHUP, expectedMainPid), sent);
    }
}
