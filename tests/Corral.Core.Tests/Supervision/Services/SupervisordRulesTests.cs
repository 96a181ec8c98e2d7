using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

/// <summary>
/// supervisord's lifecycle rules, as its users depend on them: startsecs, startretries and
/// FATAL, autostart, priority order for start and reverse for stop.
/// </summary>
public class SupervisordRulesTests
{
    static ServiceSpec Program(string name, int priority = 999, bool autostart = true, RestartPolicy restart = RestartPolicy.OnFailure) =>
        Longrun(name) with { StartSeconds = TimeSpan.FromSeconds(1), StartRetries = 3, Priority = priority, AutoStart = autostart, Restart = restart };

    [Fact]
    public void A_process_counts_as_started_only_once_it_has_been_up_for_startsecs()
    {
        var sim = new Sim(Program("web")).Boot();
        Assert.Equal(ServiceState.Running, sim.State("web"));
        Assert.False(sim.Supervisor["web"].IsReady);
        sim.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(sim.Supervisor["web"].IsReady);
        sim.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(sim.Supervisor["web"].IsReady);
    }

    [Fact]
    public void Exits_before_startsecs_back_off_one_second_more_each_time_then_give_up_after_startretries()
    {
        var sim = new Sim(Program("failer")).Boot();
        var spawns = new List<TimeSpan> { sim.Now };
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            sim.Exit("failer", 3);
            Assert.Equal(ServiceState.Backoff, sim.State("failer"));
            var before = sim.SpawnCount("failer");
            sim.Advance(TimeSpan.FromSeconds(attempt) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(before, sim.SpawnCount("failer"));
            sim.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(before + 1, sim.SpawnCount("failer"));
        }
        // The fourth start fails too: startretries (3) are used up: FATAL.
        sim.Exit("failer", 0);
        Assert.Equal(ServiceState.Failed, sim.State("failer"));
        Assert.Equal(ExitPolicy.ExitedTooQuickly, sim.Supervisor["failer"].Reason);
        Assert.Equal(4, sim.SpawnCount("failer"));
    }

    [Fact]
    public void A_process_that_had_started_is_restarted_at_once_and_its_failed_starts_are_forgotten()
    {
        var sim = new Sim(Program("web", restart: RestartPolicy.Always)).Boot();
        sim.Exit("web", 1).Advance(TimeSpan.FromSeconds(1));     // a failed start: 1 s backoff
        sim.Advance(TimeSpan.FromSeconds(1));                     // up for startsecs now
        Assert.True(sim.Supervisor["web"].IsReady);
        var spawns = sim.SpawnCount("web");
        sim.Exit("web", 0).Advance(TimeSpan.Zero);
        Assert.Equal(spawns + 1, sim.SpawnCount("web"));          // no delay
        // Its failed starts were forgotten: the next early exit waits 1 s again, not 2 s.
        sim.Exit("web", 1).Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(spawns + 2, sim.SpawnCount("web"));
    }

    [Fact]
    public void Autostart_off_waits_held_until_a_start_request()
    {
        var sim = new Sim(Program("batch", autostart: false), Program("web")).Boot();
        Assert.Equal(0, sim.SpawnCount("batch"));
        Assert.Equal(ServiceState.Waiting, sim.State("batch"));
        Assert.True(sim.Supervisor["batch"].HeldDown);
        sim.Feed(new ControlRequested(ControlVerb.Start, "batch"));
        Assert.Equal(ServiceState.Running, sim.State("batch"));
        Assert.False(sim.Supervisor["batch"].HeldDown);
    }

    [Fact]
    public void Lower_priority_starts_first_and_stops_last_one_priority_at_a_time()
    {
        var sim = new Sim(Program("cache", priority: 100), Program("app", priority: 900), Program("db", priority: 10)).Boot();
        Assert.Equal(["db", "cache", "app"], sim.Spawns.Select(s => s.Service));
        sim.Signal(Signals.SIGTERM);
        Assert.Equal(["app"], sim.Effects.OfType<SignalService>().Where(s => s.Signal == Signals.SIGTERM).Select(s => s.Service));
        sim.Kill("app", Signals.SIGTERM);
        Assert.Equal(["app", "cache"], sim.Effects.OfType<SignalService>().Where(s => s.Signal == Signals.SIGTERM).Select(s => s.Service));
        sim.Kill("cache", Signals.SIGTERM);
        Assert.Equal(["app", "cache", "db"], sim.Effects.OfType<SignalService>().Where(s => s.Signal == Signals.SIGTERM).Select(s => s.Service));
    }
}
