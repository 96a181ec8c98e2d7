using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Tests.Supervision.Services;

/// <summary>
/// Walks every (state, input) pair of the service machine: a legal pair moves to the state its
/// cell names and asks for exactly the effects of its acts; an ignored pair changes nothing; an
/// illegal pair is refused loudly (an error in the log) and changes nothing.
/// </summary>
public sealed class ServiceMachineTests
{
    const int Pid = 4321;
    static readonly TimeSpan Now = TimeSpan.FromSeconds(100);
    static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    static readonly ServiceSpec Spec = new()
    {
        Name = "a",
        Command = ["run-a"],
        Stop = new StopSpec(Signals.SIGINT, TimeSpan.FromSeconds(7)),
        FinishCommand = ["finish-a"],
        FinishTimeout = TimeSpan.FromSeconds(3),
    };

    const int FinishPid = 4321;
    static readonly System.Collections.Immutable.ImmutableArray<string> FinishArgv = ["finish-a", "1", "0"];

    public static TheoryData<ServiceState, ServiceInput> EveryPair()
    {
        var data = new TheoryData<ServiceState, ServiceInput>();
        foreach (var state in Enum.GetValues<ServiceState>())
            foreach (var input in Enum.GetValues<ServiceInput>())
                data.Add(state, input);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_state_and_input_does_what_the_table_says_or_is_refused_loudly(ServiceState state, ServiceInput input)
    {
        var r = new ServiceRecord(Spec) { State = state, Pid = Pid, Group = Pid, FinishPid = FinishPid, FinishArgv = FinishArgv };
        var restarts = r.Restarts;
        var d = new Decision(Now);
        var moved = ServiceMachine.Fire(r, input, d, Delay);
        var cell = ServiceMachine.Find(state, input);

        if (cell is null)
        {
            Assert.False(moved);
            Assert.Equal(state, r.State);
            var log = Assert.IsType<Log>(Assert.Single(d.Effects));
            Assert.Equal(LogLevel.Error, log.Level);
            Assert.Contains("not allowed", log.Message);
            return;
        }
        if (cell.Ignored)
        {
            Assert.False(moved);
            Assert.Equal(state, r.State);
            Assert.Empty(d.Effects);
            return;
        }
        Assert.True(moved);
        Assert.Equal(cell.To, r.State);
        Assert.Equal(cell.Acts.SelectMany(Expected), d.Effects);
        Assert.Equal(restarts + (cell.Acts.Contains(ServiceAct.CountRestart) ? 1 : 0), r.Restarts);
    }

    /// <summary>The effects one act stands for, with this test's record and spec.</summary>
    static IEnumerable<SupervisorEffect> Expected(ServiceAct act) => act switch
    {
        ServiceAct.Spawn => [new Spawn("a")],
        ServiceAct.CountRestart => [],
        ServiceAct.SendStop => [new SignalService("a", Pid, Signals.SIGINT, Strays: true), new SignalService("a", Pid, Signals.SIGCONT, Strays: true)],
        ServiceAct.ArmStopTimeout => [new ArmTimer(new TimerKey(TimerKind.StopTimeout, "a"), Now + TimeSpan.FromSeconds(7))],
        ServiceAct.CancelStopTimeout => [new CancelTimer(new TimerKey(TimerKind.StopTimeout, "a"))],
        ServiceAct.Kill or ServiceAct.KillGroup => [new SignalService("a", Pid, Signals.SIGKILL, Strays: true)],
        ServiceAct.ArmRestart => [new ArmTimer(new TimerKey(TimerKind.Restart, "a"), Now + Delay)],
        ServiceAct.CancelRestart => [new CancelTimer(new TimerKey(TimerKind.Restart, "a"))],
        ServiceAct.SpawnFinish => [new SpawnFinish("a", FinishArgv)],
        ServiceAct.ArmFinishTimeout => [new ArmTimer(new TimerKey(TimerKind.FinishTimeout, "a"), Now + TimeSpan.FromSeconds(3))],
        ServiceAct.CancelFinishTimeout => [new CancelTimer(new TimerKey(TimerKind.FinishTimeout, "a"))],
        ServiceAct.KillFinish => [new SignalService("a", FinishPid, Signals.SIGKILL)],
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    [Fact]
    public void The_table_has_one_cell_per_pair_at_most()
    {
        var pairs = ServiceMachine.Table.Select(t => (t.From, t.On)).ToList();
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
    }

    [Fact]
    public void Every_state_can_be_reached_and_every_state_but_the_transient_ones_can_be_left_by_a_fresh_start()
    {
        var reached = ServiceMachine.Table.Where(t => !t.Ignored).Select(t => t.To).ToHashSet();
        Assert.Equal(Enum.GetValues<ServiceState>().ToHashSet(), reached);
        foreach (var done in new[] { ServiceState.Exited, ServiceState.Succeeded, ServiceState.Failed, ServiceState.Skipped, ServiceState.Backoff })
            Assert.Equal(ServiceState.Waiting, ServiceMachine.Find(done, ServiceInput.Revive)?.To);
    }

    [Fact]
    public void A_process_that_runs_can_always_be_stopped_or_end()
    {
        // Running answers Stop; Stopping answers its timeout with SIGKILL; both take every exit a stop can end in.
        Assert.Equal(ServiceState.Stopping, ServiceMachine.Find(ServiceState.Running, ServiceInput.Stop)?.To);
        Assert.Contains(ServiceAct.Kill, ServiceMachine.Find(ServiceState.Stopping, ServiceInput.StopTimeout)!.Acts);
        foreach (var state in new[] { ServiceState.Starting, ServiceState.Running, ServiceState.Stopping })
        foreach (var exit in new[] { ServiceInput.ExitStopped, ServiceInput.ExitCrashed, ServiceInput.ExitFailed })
            Assert.NotNull(ServiceMachine.Find(state, exit));
    }

    [Fact]
    public void The_design_document_shows_the_table_the_code_has()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "design", "supervisor.md");
        var doc = File.ReadAllText(path);
        const string begin = "<!-- service-machine:begin (generated by ServiceMachine.Markdown(); a test compares) -->";
        const string end = "<!-- service-machine:end -->";
        var from = doc.IndexOf(begin, StringComparison.Ordinal);
        var to = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"docs/design/supervisor.md lacks the markers {begin} … {end}");
        // CORRAL_WRITE_DOCS=1 dotnet test … rewrites the document's table from the code.
        if (Environment.GetEnvironmentVariable("CORRAL_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, doc[..(from + begin.Length)] + "\n" + ServiceMachine.Markdown() + doc[to..]);
            doc = File.ReadAllText(path);
            to = doc.IndexOf(end, StringComparison.Ordinal);
        }
        var shown = doc[(from + begin.Length)..to].Trim().ReplaceLineEndings("\n");
        Assert.Equal(ServiceMachine.Markdown().Trim().ReplaceLineEndings("\n"), shown);
    }

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Corral.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Corral.slnx not found above the test directory");
    }
}
