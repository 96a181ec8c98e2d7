using System.Reflection;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Planning;
using Corral.Core.Supervision.Services;
using static Corral.Core.Tests.Supervision.Services.Sim;

namespace Corral.Core.Tests.Supervision.Services;

public class ReloadTests
{
    static Plan PlanOf(params ServiceSpec[] services) => PlanCompiler.Compile(new SupervisorConfig { Services = [.. services] }).Plan!;

    static Sim Stopped(Sim sim)
    {
        foreach (var r in sim.Supervisor.Services.Where(r => r.State == ServiceState.Stopping).ToList())
            sim.Feed(new ProcessExited(r.Pid, ExitStatus.Exited(0)));
        return sim;
    }

    [Fact]
    public void A_reload_starts_added_stops_removed_restarts_changed_and_leaves_unchanged_alone()
    {
        var sim = new Sim(Longrun("keep"), Longrun("drop"), Longrun("change")).Boot();
        var keepPid = sim.Pids["keep"];
        sim.Feed(new Reload(PlanOf(Longrun("keep") with { Where = new SourceLocation("moved.yaml", 40) },
            Longrun("change") with { Command = ["new-command"] }, Longrun("add"))));

        Assert.Equal(ServiceState.Running, sim.State("add"));
        Assert.Equal(ServiceState.Stopping, sim.Supervisor.Services.Single(r => r.Name == "drop").State);
        Assert.Equal(ServiceState.Stopping, sim.State("change"));
        Assert.Equal(keepPid, sim.Supervisor["keep"].Pid);

        Stopped(sim);
        Assert.DoesNotContain(sim.Supervisor.Services, r => r.Name == "drop");
        Assert.Equal(ServiceState.Running, sim.State("change"));
        Assert.Equal(["new-command"], sim.Supervisor["change"].Spec.Command.ToArray());
        Assert.Equal(2, sim.SpawnCount("change"));
        Assert.Equal(1, sim.SpawnCount("keep"));
        Assert.Equal(keepPid, sim.Supervisor["keep"].Pid);
    }

    [Fact]
    public void A_removed_service_that_was_waiting_for_a_restart_goes_at_once()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot().Exit("b", 1);
        sim.Feed(new Reload(PlanOf(Longrun("a"))));
        Assert.DoesNotContain(sim.Supervisor.Services, r => r.Name == "b");
        sim.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, sim.SpawnCount("b"));
    }

    [Fact]
    public void Events_for_a_removed_service_are_ignored()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot();
        var old = sim.Pids["b"];
        sim.Feed(new Reload(PlanOf(Longrun("a"))));
        Stopped(sim);
        sim.Feed(new Notified("b", old, NotifyKind.Ready)).Feed(new ProbeResult("b", old, ProbeRole.Liveness, false));
        Assert.Equal(ServiceState.Running, sim.State("a"));
    }

    [Fact]
    public void Specs_that_differ_only_in_where_they_were_written_are_the_same()
    {
        var a = Longrun("x") with { Where = new SourceLocation("a.yaml", 1), DependsOn = [new Dependency("y", DependencyCondition.Started, new SourceLocation("a.yaml", 3))] };
        var b = Longrun("x") with { Where = new SourceLocation("b.yaml", 9), DependsOn = [new Dependency("y", DependencyCondition.Started, new SourceLocation("b.yaml", 12))] };
        Assert.True(PlanDiff.Same(a, b));
        Assert.False(PlanDiff.Same(a, a with { Environment = [new("K", "v")] }));
        Assert.False(PlanDiff.Same(a, a with { LivenessProbe = new ProbeSpec { Kind = ProbeKind.Tcp, Port = 1 } }));
    }

    [Fact]
    public void Every_setting_of_a_service_is_compared_on_reload()
    {
        // A new ServiceSpec property must be added to PlanDiff.Same: this lists the known ones.
        string[] compared =
        [
            "Name", "Command", "Shell", "Type", "DependsOn", "Restart", "Backoff", "MaxRestarts", "RestartWindow",
            "SuccessExitCodes", "OnFailure", "Main", "Stop", "User", "Group", "WorkingDir", "Umask", "Limits",
            "Environment", "EnvFiles", "InheritEnv", "Logs", "StdoutTo", "ReadsPipe", "Ready", "ReadyTimeout", "Watchdog", "StartupProbe",
            "ReadinessProbe", "LivenessProbe", "Where", "EffectiveRestart", "HasReadiness", "StartSeconds", "StartRetries",
            "Listener", "StdoutEvents", "StderrEvents",
            "FinishCommand", "DownCommand", "FinishTimeout",
            // Deliberately not compared: which groups a service is in, its place in the start
            // order and whether it starts at boot change nothing about a running process.
            "MemberOf", "Priority", "AutoStart",
            // Expanded by the plan compiler: the copies carry neither, and their CORRAL_REPLICA and PORT are compared.
            "Replicas", "ReplicaPort",
        ];
        var properties = typeof(ServiceSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)
            .Where(n => n != "EqualityContract");
        Assert.Empty(properties.Except(compared));
    }

    [Fact]
    public void A_changed_service_is_reported_with_the_settings_that_changed_by_their_config_names()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot();
        var changed = Longrun("b") with { Command = ["other"], Environment = [new("MODE", "fast")], Stop = new StopSpec(Signals.SIGINT, TimeSpan.FromSeconds(3)) };
        sim.Feed(new Reload(PlanOf(Longrun("a"), changed)));
        Assert.Contains(sim.Effects.OfType<Log>(), l => l.Service == "b" && l.Level == LogLevel.Info && l.Message == "changed: command, stop, environment");
        Assert.DoesNotContain(sim.Effects.OfType<Log>(), l => l.Service == "a" && l.Level == LogLevel.Info && l.Message.StartsWith("changed", StringComparison.Ordinal));
        Assert.Equal(["command", "stop", "environment"], Corral.Core.Planning.PlanDiff.ChangedFields(Longrun("b"), changed));
        Assert.Empty(Corral.Core.Planning.PlanDiff.ChangedFields(changed, changed with { MemberOf = ["x"] }));
    }

    [Fact]
    public void A_service_removed_and_added_back_while_it_stops_starts_again_once_stopped()
    {
        var sim = new Sim(Longrun("a"), Longrun("b")).Boot();
        var oldB = sim.Pids["b"];
        sim.Feed(new Reload(PlanOf(Longrun("a"))));
        Assert.Equal(ServiceState.Stopping, sim.Supervisor.Services.Single(r => r.Name == "b").State);
        sim.Feed(new Reload(PlanOf(Longrun("a"), Longrun("b"))));
        sim.Feed(new ProcessExited(oldB, ExitStatus.Signaled(Signals.SIGTERM)));
        Assert.Equal(ServiceState.Running, sim.State("b"));
        Assert.NotEqual(oldB, sim.Supervisor["b"].Pid);
        // Everything still works: a shutdown stops both.
        sim.Signal(Signals.SIGTERM);
        Stopped(sim).Feed(new NoChildrenLeft());
        Assert.Equal(0, sim.ExitCode);
    }

    [Fact]
    public void A_service_stopping_for_a_failed_start_is_not_restarted_when_a_reload_removed_it()
    {
        var b = Longrun("b") with { Ready = new ReadySpec(ReadinessKind.NotifyFd, 3), ReadyTimeout = TimeSpan.FromSeconds(1) };
        var sim = new Sim(Longrun("a"), b).Boot().Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ServiceState.Stopping, sim.State("b"));
        var oldB = sim.Pids["b"];
        sim.Feed(new Reload(PlanOf(Longrun("a"))));
        sim.Feed(new ProcessExited(oldB, ExitStatus.Signaled(Signals.SIGTERM))).Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(sim.Supervisor.Services, r => r.Name == "b");
        Assert.Equal(1, sim.SpawnCount("b"));
    }

    [Fact]
    public void A_service_removed_while_its_spawn_is_under_way_is_stopped_once_its_pid_is_known()
    {
        var sim = new Sim(Longrun("a"), Longrun("b"));
        sim.HoldSpawnOf("b");
        sim.Boot().Feed(new Reload(PlanOf(Longrun("a"))));
        sim.CompleteSpawn("b");
        Assert.Contains(sim.SignalsTo("b"), s => s.Signal == Signals.SIGTERM && s.Pid == sim.Pids["b"]);
        sim.Kill("b", Signals.SIGTERM);
        Assert.DoesNotContain(sim.Supervisor.Services, r => r.Name == "b");
        Assert.Equal(1, sim.SpawnCount("b"));
    }
}
