using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>The bundled example, as the README's first command runs it.</summary>
public class ExampleTests
{
    static string Example => Path.Combine(CorralBinary.RepositoryRoot, "examples", "corral.yaml");

    [Fact]
    public void The_example_passes_check_starts_in_order_and_stops_cleanly_on_ctrl_c()
    {
        var check = Run.Exec(CorralBinary.Path, "check", "-c", Example);
        Assert.Equal(0, check.Code);

        // Both streams in one pipe, as on a terminal.
        using var run = Run.Start("sh", ["-c", $"exec {CorralBinary.Path} run -c {Example} 2>&1"]);
        run.WaitForLine(l => l.Contains("| proxy: forwarding", StringComparison.Ordinal));
        run.WaitForLine(l => l.Contains("| app: heartbeat", StringComparison.Ordinal));
        run.Signal(Sig.INT);
        Assert.Equal(0, run.WaitForExit());
        var lines = run.StdoutLines;
        Assert.Contains(lines, l => l.Contains("app: got SIGTERM, finishing the current request", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("app: stopped (exited with code 0)", StringComparison.Ordinal));
        // Nothing a shell says about its own jobs, no warnings, no errors.
        Assert.DoesNotContain(lines, l => l.Contains("Terminated", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("warning:", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal));
    }
}
