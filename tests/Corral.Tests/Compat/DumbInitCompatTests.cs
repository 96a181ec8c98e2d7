using Corral.Tests.Infrastructure;

namespace Corral.Tests.Compat;

/// <summary>Corral invoked as dumb-init behaves as Debian's dumb-init 1.2.5 does, case by case.</summary>
public class DumbInitCompatTests
{
    public static TheoryData<string[]> Cases => new()
    {
        new[] { "-h" },
        new[] { "--help" },
        new[] { "-V" },
        new[] { "--version" },
        Array.Empty<string>(),
        new[] { "-Z" },
        new[] { "--foo" },
        new[] { "--ver" },
        new[] { "-r" },
        new[] { "--rewrite" },
        new[] { "-r", "99:1", "true" },
        new[] { "-r", "15:32", "true" },
        new[] { "-r", "abc", "true" },
        new[] { "-r", "1:2:3", "true" },
        new[] { "-c" },
        new[] { "/no/such/program" },
        new[] { "/etc/passwd" },
        new[] { "sh", "-c", "exit 3" },
        new[] { "sh", "-c", "kill -9 $$" },
        new[] { "-c", "sh", "-c", "exit 4" },
        new[] { "echo", "-V" },
        new[] { "--single-child", "--", "echo", "hi" },
        new[] { "--sing", "echo", "x" },
        new[] { "--rewrite=15:9", "echo", "ok" },
        new[] { "-c", "-v", "sh", "-c", "exit 5" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Corral_as_dumb_init_matches_dumb_init(string[] args)
    {
        var (real, ours) = Differential.Run("dumb-init", args);
        Assert.Equal(real, ours);
    }

    [Fact]
    public void DUMB_INIT_SETSID_0_keeps_the_child_in_corrals_process_group()
    {
        var env = new Dictionary<string, string?> { ["DUMB_INIT_SETSID"] = "0" };
        var r = Run.ExecWith(CorralBinary.As("dumb-init"), env, "sh", "-c", "ps -o pgid= -p $$; ps -o pgid= -p $PPID");
        var groups = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, groups.Length);
        Assert.Equal(groups[0], groups[1]);
    }

    [Fact]
    public void By_default_the_child_leads_its_own_session()
    {
        var r = Run.Exec(CorralBinary.As("dumb-init"), "sh", "-c", "ps -o sid= -p $$; echo $$");
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(lines[1], lines[0]);
    }

    [Fact]
    public void Signals_go_to_the_childs_whole_process_group()
    {
        using var run = Run.Start(CorralBinary.As("dumb-init"), [Helpers.GroupReport, "USR1"]);
        run.WaitForLine("grandchild ready");
        run.WaitForLine("child ready");
        run.Signal(Sig.USR1);
        run.WaitForLine("child got USR1");
        run.WaitForLine("grandchild got USR1");
    }

    [Fact]
    public void A_rewrite_to_another_signal_is_applied_before_forwarding()
    {
        using var run = Run.Start(CorralBinary.As("dumb-init"), ["-r", "10:12", Helpers.TrapReport, "USR1", "USR2"]);
        run.WaitForLine("child ready");
        run.Signal(Sig.USR1);
        run.WaitForLine("child got USR2");
        Assert.DoesNotContain("child got USR1", run.StdoutLines);
    }

    [Fact]
    public void A_rewrite_to_0_drops_the_signal()
    {
        using var run = Run.Start(CorralBinary.As("dumb-init"), ["-r", "10:0", Helpers.TrapReport, "USR1", "USR2"]);
        run.WaitForLine("child ready");
        run.Signal(Sig.USR1);
        run.Signal(Sig.USR2);
        run.WaitForLine("child got USR2");
        Assert.DoesNotContain("child got USR1", run.StdoutLines);
    }

    [Fact]
    public void SIGTSTP_stops_the_childs_group_and_corral_and_SIGCONT_resumes_them()
    {
        using var run = Run.Start(CorralBinary.As("dumb-init"), [Helpers.TrapReport, "CONT"]);
        run.WaitForLine("child ready");
        var child = ProcFs.ChildrenOf(run.Pid).Single();
        run.Signal(Sig.TSTP);
        Wait.Until(() => ProcFs.State(run.Pid) == 'T' && ProcFs.State(child) == 'T', null, "corral and its child to stop");
        run.Signal(Sig.CONT);
        Wait.Until(() => ProcFs.State(run.Pid) != 'T' && ProcFs.State(child) != 'T', null, "corral and its child to resume");
        run.WaitForLine("child got CONT");
    }

    [Fact]
    public void When_the_child_exits_the_rest_of_its_group_gets_SIGTERM()
    {
        var dir = Directory.CreateTempSubdirectory("corral-dumb-").FullName;
        var log = Path.Combine(dir, "log");
        var r = Run.Exec(CorralBinary.As("dumb-init"), "sh", "-c",
            $"(trap 'echo term > {log}; exit 0' TERM; touch {dir}/ready; while :; do sleep 0.05; done) & while [ ! -e {dir}/ready ]; do sleep 0.01; done; exit 6");
        Assert.Equal(6, r.Code);
        Wait.Until(() => File.Exists(log) && File.ReadAllText(log).Trim() == "term", null, "the leftover to get TERM");
    }

    [Fact]
    public void Corral_as_dumb_init_moves_to_the_root_directory_and_the_child_keeps_its_own()
    {
        var r = Run.Exec(CorralBinary.As("dumb-init"), "sh", "-c", "sleep 0.2; readlink /proc/$PPID/cwd; readlink /proc/$$/cwd");
        Assert.Equal(["/", Environment.CurrentDirectory], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
