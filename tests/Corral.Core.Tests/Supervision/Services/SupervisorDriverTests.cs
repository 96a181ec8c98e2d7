using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Planning;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Tests.Supervision.Services;

/// <summary>The one effect interpreter: the order in which the runtime hears of things.</summary>
public class SupervisorDriverTests
{
    sealed class RecordingHost : ISupervisorHost
    {
        public List<string> Calls { get; } = [];
        public bool ThrowOnSpawn { get; set; }
        int pid = 100;

        public Spawned? Spawn(ServiceSpec spec)
        {
            Calls.Add($"spawn {spec.Name}");
            if (ThrowOnSpawn) throw new InvalidOperationException("no more processes");
            return new Spawned(spec.Name, pid++, 0);
        }

        public void Signal(SignalService signal) => Calls.Add($"signal {signal.Service} {signal.Signal}");
        public void SignalRemaining(int signal) => Calls.Add($"remaining {signal}");
        public bool HasChildren() => false;
        public void RunProbe(RunProbe probe, TimeSpan now) => Calls.Add($"probe {probe.Service}");
        public void Arm(TimerKey key, TimeSpan deadline) { }
        public void Cancel(TimerKey key) { }
        public void Say(Log log) => Calls.Add($"say {log.Service}: {log.Message}");
        public Reload? LoadConfig(string why) { Calls.Add($"load {why}"); return null; }
        public void ReopenLogs() => Calls.Add("reopen logs");
        public void StartSentinel() => Calls.Add("start sentinel");
        public void StopSentinel() => Calls.Add("stop sentinel");
        public void Decided(SupervisorEvent e) => Calls.Add($"decided {e.GetType().Name}");
    }

    static (SupervisorDriver, RecordingHost) Drive(params ServiceSpec[] services) =>
        Drive(new SupervisorConfig { Services = [.. services] });

    static (SupervisorDriver, RecordingHost) Drive(SupervisorConfig config)
    {
        var (plan, _) = PlanCompiler.Compile(config);
        var host = new RecordingHost();
        return (new SupervisorDriver(new Supervisor(plan!), host, () => TimeSpan.Zero), host);
    }

    [Fact]
    public void A_spawned_process_is_announced_before_its_output_may_flow()
    {
        var (driver, host) = Drive(Sim.Longrun("a"));
        driver.Feed(new Boot());
        var started = host.Calls.IndexOf("say a: started (pid 100)");
        var relayed = host.Calls.LastIndexOf("decided Spawned");
        Assert.True(host.Calls.IndexOf("spawn a") < started && started < relayed, string.Join("\n", host.Calls));
    }

    [Fact]
    public void A_spawn_that_throws_is_still_answered_so_the_service_does_not_stay_starting()
    {
        var (driver, host) = Drive(Sim.Longrun("a") with { Restart = RestartPolicy.Never });
        host.ThrowOnSpawn = true;
        driver.Feed(new Boot());
        Assert.Equal(ServiceState.Failed, driver.Supervisor["a"].State);
        Assert.Contains(host.Calls, c => c.StartsWith("say a: cannot start: internal error", StringComparison.Ordinal));
    }

    [Fact]
    public void SIGHUP_asks_the_runtime_to_load_the_config_and_the_sentinel_is_asked_for_only_as_PID_1()
    {
        var (driver, host) = Drive(Sim.Oneshot("job"));
        driver.Feed(new Boot(Pid1: true));
        driver.Feed(new SignalReceived(Signals.SIGHUP));
        Assert.Contains("load SIGHUP", host.Calls);
        driver.Feed(new NoChildrenLeft());
        Assert.Contains("start sentinel", host.Calls);
        Assert.Contains("stop sentinel", host.Calls);

        var (plain, plainHost) = Drive(Sim.Oneshot("job"));
        plain.Feed(new Boot());
        plain.Feed(new NoChildrenLeft());
        Assert.DoesNotContain("start sentinel", plainHost.Calls);
    }

    [Fact]
    public void SIGUSR2_reopens_the_log_files_when_the_config_says_so_and_is_forwarded_otherwise()
    {
        var (driver, host) = Drive(new SupervisorConfig { Services = [Sim.Longrun("a")], ReopenLogsOnSigusr2 = true });
        driver.Feed(new Boot());
        driver.Feed(new SignalReceived(Signals.SIGUSR2));
        Assert.Contains("reopen logs", host.Calls);
        Assert.DoesNotContain(host.Calls, c => c.StartsWith("signal a", StringComparison.Ordinal));

        var (plain, plainHost) = Drive(Sim.Longrun("a"));
        plain.Feed(new Boot());
        plain.Feed(new SignalReceived(Signals.SIGUSR2));
        Assert.DoesNotContain("reopen logs", plainHost.Calls);
        Assert.Contains($"signal a {Signals.SIGUSR2}", plainHost.Calls);
    }
}
