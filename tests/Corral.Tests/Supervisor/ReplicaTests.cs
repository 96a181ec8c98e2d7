using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>replicas: N copies of a service, scaled at run time with ctl scale, their dependents untouched.</summary>
public sealed class ReplicaTests
{
    static string Bin => CorralBinary.Path;

    static Result Ctl(Run run, params string[] args) =>
        Run.ExecWith(Bin, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) }, ["ctl", .. args]);

    [Fact]
    public void Replicas_run_with_their_number_and_port_and_ctl_scale_adds_and_removes_copies_only()
    {
        var dir = new ConfigDir("""
            services:
              web:
                command: sh -c 'echo "replica $$CORRAL_REPLICA port $$PORT"; exec sleep 1000'
                replicas: {count: 2, port: 8000}
              front:
                command: sh -c 'echo front up; exec sleep 1000'
                depends_on: [web]
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("replica 1 port 8000", StringComparison.Ordinal));
        run.WaitForLine(l => l.EndsWith("replica 2 port 8001", StringComparison.Ordinal));
        run.WaitForLine(l => l.EndsWith("front up", StringComparison.Ordinal));
        var front = Ctl(run, "status", "--json", "front").Stdout;

        var up = Ctl(run, "scale", "web", "3");
        Assert.Equal(0, up.Code);
        Assert.Contains("web.3: added", up.Stdout);
        run.WaitForLine(l => l.EndsWith("replica 3 port 8002", StringComparison.Ordinal));

        var down = Ctl(run, "scale", "web", "1");
        Assert.Equal(0, down.Code);
        Wait.Until(() => Ctl(run, "status").Stdout.Split('\n').Count(l => l.StartsWith("web.", StringComparison.Ordinal)) == 1, null, "one copy left");
        // The dependent kept its process through both.
        Assert.Equal(PidOf(front), PidOf(Ctl(run, "status", "--json", "front").Stdout));
        Assert.Equal(1, run.StdoutLines.Count(l => l.EndsWith("front up", StringComparison.Ordinal)));

        var notReplicated = Ctl(run, "scale", "front", "2");
        Assert.Equal(1, notReplicated.Code);
        Assert.Contains("has no replicas", notReplicated.Stderr);
        Assert.Equal(2, Ctl(run, "scale", "web").Code);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    static string PidOf(string json) => System.Text.RegularExpressions.Regex.Match(json, "\"pid\": ?(\\d+)").Groups[1].Value;
}
