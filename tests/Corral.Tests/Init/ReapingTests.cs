using Corral.Tests.Infrastructure;

namespace Corral.Tests.Init;

public class ReapingTests
{
    static readonly TimeSpan Slow = TimeSpan.FromMinutes(3);

    [Fact]
    public void Thousands_of_orphans_are_all_reaped_as_PID_1()
    {
        // 3,000 shell forks take 2.5 s on an idle machine and over 30 s under a load average of 14.
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", CorralBinary.Path, "--", Helpers.Orphans, "3000", "1"]);
        Assert.Equal(0, run.WaitForExit(Slow));
        Assert.Equal("left=0 zombies=0", run.Stdout.Trim());
    }

    [Fact]
    public void Thousands_of_orphans_are_all_reaped_as_subreaper()
    {
        using var run = Run.Start(CorralBinary.Path, ["-s", "--", "sh", "-c", $"{Helpers.Orphans} 3000 $PPID"]);
        Assert.Equal(0, run.WaitForExit(Slow));
        Assert.Equal("left=0 zombies=0", run.Stdout.Trim());
    }

    [Fact]
    public void TINI_SUBREAPER_registers_corral_as_subreaper()
    {
        var r = Run.ExecWith(CorralBinary.Path, new Dictionary<string, string?> { ["TINI_SUBREAPER"] = "" },
            "--", "sh", "-c", $"{Helpers.Orphans} 200 $PPID");
        Assert.Equal(0, r.Code);
        Assert.DoesNotContain("subreaper", r.Stderr);
    }

    [Fact]
    public void Corral_warns_when_it_is_neither_PID_1_nor_a_subreaper()
    {
        var r = Run.Exec(CorralBinary.Path, "--", "true");
        Assert.Equal(0, r.Code);
        Assert.Contains("not PID 1 and not a child subreaper", r.Stderr);
    }

    [Fact]
    public void With_w_corral_warns_about_reaping_processes_that_were_not_its_child()
    {
        var r = Run.Exec(CorralBinary.Path, "-s", "-w", "--", "sh", "-c", $"{Helpers.Orphans} 3 $PPID");
        Assert.Equal(0, r.Code);
        Assert.Equal(3, r.Stderr.Split('\n').Count(l => l.Contains("warning: reaped orphan pid")));
    }

    [Fact]
    public void With_grace_leftover_processes_get_TERM_and_those_ignoring_it_get_KILL()
    {
        var dir = Directory.CreateTempSubdirectory("corral-grace-").FullName;
        var marker = Path.Combine(dir, "term");
        // Each leftover says when its trap is set; the child exits only then.
        var script = $"""
            (trap 'echo term > {marker}; exit 0' TERM; touch {dir}/polite; while :; do sleep 0.05; done) &
            (trap '' TERM; touch {dir}/stubborn; while :; do sleep 0.05; done) &
            while [ ! -e {dir}/polite ] || [ ! -e {dir}/stubborn ]; do sleep 0.01; done
            exit 7
            """;
        var r = Run.ExecAsPid1(CorralBinary.Path, "--grace", "1s", "-v", "--", "sh", "-c", script);
        Assert.Equal(7, r.Code);
        Assert.Equal("term", File.ReadAllText(marker).Trim());
        Assert.Contains("SIGKILL", r.Stderr);
    }

    [Fact]
    public void With_grace_corral_exits_as_soon_as_every_leftover_process_is_gone()
    {
        var r = Run.ExecAsPid1(CorralBinary.Path, "--grace", "60s", "-v", "--", "sh", "-c", "sleep 100 & sleep 100 & exit 3");
        // sleep dies of TERM; had corral waited for the grace, the run would time out.
        Assert.Equal(3, r.Code);
        Assert.Contains("all processes have exited", r.Stderr);
    }

    [Fact]
    public void With_grace_as_subreaper_only_descendants_are_signalled()
    {
        using var bystander = Run.Start("sh", ["-c", "trap 'echo bystander hit' TERM; echo up; while :; do sleep 0.05; done"]);
        bystander.WaitForLine("up");
        var r = Run.Exec(CorralBinary.Path, "-s", "--grace", "30s", "-v", "--", "sh", "-c", "sleep 100 & exit 0");
        Assert.Equal(0, r.Code);
        Assert.Contains("all processes have exited", r.Stderr);
        Assert.False(bystander.HasExited);
        Assert.DoesNotContain("bystander hit", bystander.StdoutLines);
    }
}
