using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

public class RestartTests
{
    static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Restarts_with_exponential_backoff_after_repeated_crashes()
    {
        var sim = new Sim(Longrun("a")).Boot();
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            sim.Exit("a", 1);
            var crashedAt = sim.Now;
            var before = sim.SpawnCount("a");
            while (sim.SpawnCount("a") == before) sim.Advance(Ms);
            delays.Add(sim.Now - crashedAt);
        }
        Assert.Equal([100, 200, 400, 800, 1600, 3200], delays.Select(d => (int)d.TotalMilliseconds));
    }

    [Fact]
    public void Backoff_is_capped_at_its_maximum()
    {
        var spec = Longrun("a") with { Backoff = new Backoff(TimeSpan.FromSeconds(1), 10, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)) };
        Assert.Equal(TimeSpan.FromSeconds(1), spec.Backoff.DelayFor(1));
        Assert.Equal(TimeSpan.FromSeconds(5), spec.Backoff.DelayFor(2));
        Assert.Equal(TimeSpan.FromSeconds(5), spec.Backoff.DelayFor(40));
    }

    [Fact]
    public void Backoff_resets_after_the_service_stayed_up_long_enough()
    {
        var sim = new Sim(Longrun("a")).Boot();
        sim.Exit("a", 1).Advance(TimeSpan.FromMilliseconds(100));
        sim.Exit("a", 1).Advance(TimeSpan.FromMilliseconds(200));
        sim.Advance(TimeSpan.FromSeconds(61)).Exit("a", 1);
        Assert.True(sim.TimerArmed(TimerKind.Restart, "a"));
        var spawnsBefore = sim.SpawnCount("a");
        sim.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(spawnsBefore + 1, sim.SpawnCount("a"));
    }

    [Fact]
    public void Too_many_restarts_within_the_window_fail_the_service()
    {
        var spec = Longrun("a") with { MaxRestarts = 3, RestartWindow = TimeSpan.FromSeconds(60) };
        var sim = new Sim(spec).Boot();
        for (var i = 0; i < 3; i++) sim.Exit("a", 1).Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ServiceState.Running, sim.State("a"));
        sim.Exit("a", 1);
        Assert.Equal(ServiceState.Failed, sim.State("a"));
        Assert.Contains("gave up after 3 restarts", sim.Supervisor["a"].Reason);
        Assert.Equal(3, sim.Supervisor["a"].Restarts);
    }

    [Fact]
    public void Restarts_outside_the_window_do_not_count()
    {
        var spec = Longrun("a") with { MaxRestarts = 2, RestartWindow = TimeSpan.FromSeconds(10), Backoff = Backoff.Default with { ResetAfter = TimeSpan.FromHours(1) } };
        var sim = new Sim(spec).Boot();
        for (var i = 0; i < 6; i++) sim.Exit("a", 1).Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(ServiceState.Running, sim.State("a"));
        Assert.Equal(6, sim.Supervisor["a"].Restarts);
    }

    [Fact]
    public void On_failure_restarts_only_failures_and_success_exit_codes_count_as_success()
    {
        var spec = Longrun("a") with { Restart = RestartPolicy.OnFailure, SuccessExitCodes = [0, 3] };
        var sim = new Sim(spec).Boot();
        sim.Exit("a", 3);
        Assert.Equal(ServiceState.Exited, sim.State("a"));

        var sim2 = new Sim(spec).Boot().Exit("a", 4);
        Assert.Equal(ServiceState.Backoff, sim2.State("a"));

        var sim3 = new Sim(spec).Boot().Kill("a", Signals.SIGSEGV);
        Assert.Equal(ServiceState.Backoff, sim3.State("a"));
    }

    [Fact]
    public void Never_leaves_a_crashed_service_failed()
    {
        var sim = new Sim(Longrun("a") with { Restart = RestartPolicy.Never }).Boot().Exit("a", 2);
        Assert.Equal(ServiceState.Failed, sim.State("a"));
        sim.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, sim.SpawnCount("a"));
    }

    [Fact]
    public void Always_restarts_even_a_clean_exit()
    {
        var sim = new Sim(Longrun("a")).Boot().Exit("a", 0).Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, sim.SpawnCount("a"));
        Assert.Equal(1, sim.Supervisor["a"].Restarts);
    }

    [Fact]
    public void A_oneshot_is_not_restarted_by_default()
    {
        var sim = new Sim(Oneshot("a"), Longrun("b")).Boot().Exit("a", 1).Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, sim.SpawnCount("a"));
        Assert.Equal(ServiceState.Failed, sim.State("a"));
    }
}
