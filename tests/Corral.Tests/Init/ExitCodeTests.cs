using Corral.Tests.Infrastructure;

namespace Corral.Tests.Init;

public class ExitCodeTests
{
    [Fact]
    public void Every_exit_code_from_0_to_255_passes_through()
    {
        var wrong = new List<string>();
        for (var code = 0; code <= 255; code++)
        {
            var r = Run.Exec(CorralBinary.Path, "-s", "--", "sh", "-c", $"exit {code}");
            if (r.Code != code) wrong.Add($"{code}->{r.Code}");
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_exit_code_from_0_to_255_passes_through_as_PID_1()
    {
        // One namespace per code would take long; a loop inside runs corral as PID 1 of its own
        // namespace each time and reports mismatches.
        var script = $"""
            for c in $(seq 0 255); do
              unshare --pid --fork --mount-proc {CorralBinary.Path} -- sh -c "exit $c"
              r=$?
              [ "$r" -eq "$c" ] || echo "mismatch $c $r"
            done
            echo done
            """;
        // 256 namespaces one after another: minutes on a loaded machine, not the default 30 s.
        using var run = Run.Start("sh", ["-c", script]);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromMinutes(5)));
        Assert.Equal("done", run.Stdout.Trim());
    }

    [Theory]
    [InlineData("HUP", 1)]
    [InlineData("INT", 2)]
    [InlineData("QUIT", 3)]
    [InlineData("KILL", 9)]
    [InlineData("USR1", 10)]
    [InlineData("SEGV", 11)]
    [InlineData("USR2", 12)]
    [InlineData("ALRM", 14)]
    [InlineData("TERM", 15)]
    public void Death_by_signal_N_exits_with_128_plus_N(string signal, int number)
    {
        var r = Run.Exec(CorralBinary.Path, "-s", "--", "sh", "-c", $"kill -{signal} $$");
        Assert.Equal(128 + number, r.Code);
    }

    [Fact]
    public void Death_by_signal_exits_with_128_plus_N_as_PID_1()
    {
        var r = Run.ExecAsPid1(CorralBinary.Path, "--", "sh", "-c", "kill -USR2 $$");
        Assert.Equal(128 + Sig.USR2, r.Code);
    }

    [Fact]
    public void Success_exit_maps_the_given_codes_to_zero_and_leaves_others()
    {
        Assert.Equal(0, Run.Exec(CorralBinary.Path, "-s", "-e", "143", "--", "sh", "-c", "kill $$").Code);
        Assert.Equal(0, Run.Exec(CorralBinary.Path, "-s", "-e", "3", "-e", "4", "--", "sh", "-c", "exit 4").Code);
        Assert.Equal(5, Run.Exec(CorralBinary.Path, "-s", "-e", "3", "--", "sh", "-c", "exit 5").Code);
    }

    [Fact]
    public void A_missing_program_exits_127_and_says_so()
    {
        var r = Run.Exec(CorralBinary.Path, "-s", "--", "/no/such/program");
        Assert.Equal(127, r.Code);
        Assert.Contains("No such file or directory", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void A_program_that_is_not_executable_exits_126()
    {
        var r = Run.Exec(CorralBinary.Path, "-s", "--", "/etc/passwd");
        Assert.Equal(126, r.Code);
        Assert.Contains("Permission denied", r.Stderr);
    }

    [Fact]
    public void The_program_is_found_through_PATH()
    {
        var r = Run.Exec(CorralBinary.Path, "-s", "--", "echo", "found");
        Assert.Equal(0, r.Code);
        Assert.Equal("found", r.Stdout.Trim());
    }

    [Fact]
    public void An_unknown_flag_prints_usage_and_fails()
    {
        var r = Run.Exec(CorralBinary.Path, "--frobnicate", "--", "true");
        Assert.NotEqual(0, r.Code);
        Assert.Contains("unknown option '--frobnicate'", r.Stderr);
        Assert.Contains("Usage: corral", r.Stderr);
    }

    [Fact]
    public void A_missing_command_prints_usage_and_fails()
    {
        var r = Run.Exec(CorralBinary.Path);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("Usage: corral", r.Stderr);
    }
}
