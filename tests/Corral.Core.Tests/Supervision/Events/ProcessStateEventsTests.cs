using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Core.Tests.Supervision.Services;

namespace Corral.Core.Tests.Supervision.Events;

/// <summary>The PROCESS_STATE events as supervisord's process would send them, from the service machine on the simulated clock.</summary>
public class ProcessStateEventsTests
{
    static ServiceSpec Program(string name, int startRetries = 3) => new()
    {
        Name = name,
        Command = ["run-" + name],
        Restart = RestartPolicy.OnFailure,
        StartSeconds = TimeSpan.FromSeconds(1),
        StartRetries = startRetries,
    };

    static ServiceSpec Listener(params string[] events) =>
        new() { Name = "listener", Command = ["l"], Priority = -1, Listener = new ListenerSpec("listener", [.. events]) };

    static List<string> Sent(Sim sim, string? process = null) =>
        [.. sim.Effects.OfType<EmitEvent>().Select(e => $"{e.Event.Name} {e.Event.Payload}")
            .Where(e => process is null || e.Contains($"processname:{process} ", StringComparison.Ordinal))];

    [Fact]
    public void Nothing_is_sent_without_a_listener_that_wants_it()
    {
        var sim = new Sim(Program("web")).Boot();
        Assert.Empty(sim.Effects.OfType<EmitEvent>());
        var ticksOnly = new Sim(Program("web"), Listener("TICK_5")).Boot();
        Assert.Empty(ticksOnly.Effects.OfType<EmitEvent>());
    }

    [Fact]
    public void A_program_that_cannot_start_goes_through_backoff_to_fatal_as_in_supervisord()
    {
        var sim = new Sim(Program("bad", startRetries: 1), Listener("PROCESS_STATE")).Boot();
        sim.Exit("bad", 3).Advance(TimeSpan.FromSeconds(1.5)).Exit("bad", 3);
        Assert.Equal([
            "PROCESS_STATE_STARTING processname:bad groupname:bad from_state:STOPPED tries:0",
            "PROCESS_STATE_BACKOFF processname:bad groupname:bad from_state:STARTING tries:1",
            "PROCESS_STATE_STARTING processname:bad groupname:bad from_state:BACKOFF tries:1",
            "PROCESS_STATE_BACKOFF processname:bad groupname:bad from_state:STARTING tries:2",
            "PROCESS_STATE_FATAL processname:bad groupname:bad from_state:BACKOFF",
        ], Sent(sim, "bad"));
    }

    [Fact]
    public void A_program_that_ran_and_exits_is_EXITED_then_STARTING_again()
    {
        var sim = new Sim(Program("web"), Listener("PROCESS_STATE")).Boot().Advance(TimeSpan.FromSeconds(1.5));
        var pid = sim.Pids["web"];
        sim.Exit("web", 2).Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal([
            "PROCESS_STATE_STARTING processname:web groupname:web from_state:STOPPED tries:0",
            $"PROCESS_STATE_RUNNING processname:web groupname:web from_state:STARTING pid:{pid}",
            $"PROCESS_STATE_EXITED processname:web groupname:web from_state:RUNNING expected:0 pid:{pid}",
            "PROCESS_STATE_STARTING processname:web groupname:web from_state:EXITED tries:0",
        ], Sent(sim, "web"));
    }

    [Fact]
    public void A_stop_is_STOPPING_then_STOPPED_after_the_supervisor_says_it_is_stopping()
    {
        var sim = new Sim(Program("web"), Listener("PROCESS_STATE_STOPPING", "PROCESS_STATE_STOPPED", "SUPERVISOR_STATE_CHANGE")).Boot().Advance(TimeSpan.FromSeconds(1.5));
        var pid = sim.Pids["web"];
        sim.Signal(Signals.SIGTERM).Kill("web", Signals.SIGTERM);
        Assert.Equal([
            "SUPERVISOR_STATE_CHANGE_RUNNING ",
            "SUPERVISOR_STATE_CHANGE_STOPPING ",
            $"PROCESS_STATE_STOPPING processname:web groupname:web from_state:RUNNING pid:{pid}",
            $"PROCESS_STATE_STOPPED processname:web groupname:web from_state:STOPPING pid:{pid}",
        ], Sent(sim).Where(e => !e.Contains("processname:listener", StringComparison.Ordinal)));
    }

    [Fact]
    public void Grouped_processes_name_their_group()
    {
        var worker = Program("celery_00") with { MemberOf = ["workers"] };
        var sim = new Sim(worker, Listener("PROCESS_STATE_STARTING")).Boot();
        Assert.Equal(["PROCESS_STATE_STARTING processname:celery_00 groupname:workers from_state:STOPPED tries:0"], Sent(sim, "celery_00"));
    }
}
