using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Faults;

/// <summary>Output that is no well-formed stream of lines: Corral stays up and passes all of it on.</summary>
public class OutputTests
{
    static string Bin => CorralBinary.Path;

    /// <summary>What a service wrote on stdout, from Corral's stdout lines "name | text" (the prefix padded to the longest name).</summary>
    static List<string> Payloads(Run run, string service) =>
        [.. run.StdoutLines.Where(l => l.StartsWith(service + " ", StringComparison.Ordinal) && l.Contains("| ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("| ", StringComparison.Ordinal) + 2)..])];

    [Fact]
    public void A_ten_megabyte_line_without_a_newline_is_passed_on_in_pieces_and_its_last_piece_flushed()
    {
        // 640 whole pieces of LogPump.MaxLine (16 KiB), then 123 bytes that only the end of the pipe flushes.
        const int size = 10 * 1024 * 1024 + 123;
        var witness = Gauge.Token();
        var dir = new ConfigDir($$"""
            services:
              big:
                type: oneshot
                shell: true
                command: "head -c {{size}} /dev/zero | tr '\\000' x"
              witness:
                command: ["sleep", "{{witness}}"]
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        var witnessPid = Corrals.WaitForSleeper(witness);
        Wait.Until(() => Payloads(run, "big").Sum(p => p.Length) >= size, TimeSpan.FromSeconds(60), "all of big's output");
        var pieces = Payloads(run, "big");
        Assert.Equal(size, pieces.Sum(p => p.Length));
        Assert.All(pieces, p => Assert.True(p.Length <= 16 * 1024, $"a piece of {p.Length} bytes"));
        Assert.All(pieces, p => Assert.True(p.AsSpan().IndexOfAnyExcept('x') < 0, "a piece that is not only x"));
        Assert.Equal(123, pieces[^1].Length);
        Assert.Equal(("running", witnessPid, 0), Corrals.Status(run, "witness"));
        Wait.Until(() => Corrals.Status(run, "big").State == "succeeded", null, "big succeeded");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal(size, Payloads(run, "big").Sum(p => p.Length));
        Corrals.AssertGone(witness);
    }

    [Fact]
    public void A_service_that_closes_stdout_early_keeps_running_and_its_partial_line_is_flushed()
    {
        var main = Gauge.Token();
        var dir = new ConfigDir($$"""
            services:
              closer:
                shell: true
                command: "printf 'first line\\nlast words without a newline'; exec 1>&-; echo still running on stderr >&2; exec sleep {{main}}"
            """);
        using var run = Run.Start(Bin, ["run", "-c", dir.Config]);
        var pid = Corrals.WaitForSleeper(main);
        // The pipe's end flushes the partial line; the service itself goes on.
        run.WaitForLine(l => l.EndsWith("| last words without a newline", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("| still running on stderr", StringComparison.Ordinal), null, "the stderr line");
        Assert.Equal(["first line", "last words without a newline"], Payloads(run, "closer"));
        Assert.Equal(("running", pid, 0), Corrals.Status(run, "closer"));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Corrals.AssertGone(main);
    }
}
