using Corral.Tests.Infrastructure;

namespace Corral.Tests.Init;

public class SignalForwardingTests
{
    public static TheoryData<string> UserSignals => ["TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "WINCH"];

    [Theory]
    [MemberData(nameof(UserSignals))]
    public void A_signal_sent_to_corral_reaches_the_child(string signal)
    {
        using var run = Run.Start(CorralBinary.Path, ["-s", "--", Helpers.TrapReport, signal]);
        run.WaitForLine("child ready");
        run.Signal(Sig.Parse(signal));
        run.WaitForLine($"child got {signal}");
    }

    [Theory]
    [MemberData(nameof(UserSignals))]
    public void A_signal_sent_to_corral_as_PID_1_reaches_the_child(string signal)
    {
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", CorralBinary.Path, "--", Helpers.TrapReport, signal]);
        run.WaitForLine("child ready");
        var corral = ProcFs.WaitForOnlyChild(run.Pid);
        Native.Kill(corral, Sig.Parse(signal));
        run.WaitForLine($"child got {signal}");
    }

    [Theory]
    [MemberData(nameof(UserSignals))]
    public void With_g_a_signal_reaches_the_childs_whole_process_group(string signal)
    {
        using var run = Run.Start(CorralBinary.Path, ["-s", "-g", "--", Helpers.GroupReport, signal]);
        run.WaitForLine("child ready");
        run.WaitForLine("grandchild ready");
        run.Signal(Sig.Parse(signal));
        run.WaitForLine($"child got {signal}");
        run.WaitForLine($"grandchild got {signal}");
    }

    [Fact]
    public void Without_g_a_signal_reaches_the_child_but_not_the_grandchild()
    {
        using var run = Run.Start(CorralBinary.Path, ["-s", "--", Helpers.GroupReport, "USR1", "USR2"]);
        run.WaitForLine("child ready");
        run.WaitForLine("grandchild ready");
        run.Signal(Sig.USR1);
        run.WaitForLine("child got USR1");
        // Then USR2 straight to the grandchild: pending signals are handled lowest number first,
        // so had USR1 reached it, "grandchild got USR1" would come before this line.
        var child = ProcFs.ChildrenOf(run.Pid).Single();
        var grandchild = ProcFs.ChildrenOf(child).Select(ProcFs.Read).Single(e => e!.Comm == "trap-report.sh")!.Pid;
        Native.Kill(grandchild, Sig.USR2);
        run.WaitForLine("grandchild got USR2");
        Assert.DoesNotContain("grandchild got USR1", run.StdoutLines);
    }

    [Fact]
    public void TINI_KILL_PROCESS_GROUP_makes_signals_reach_the_group()
    {
        using var run = Run.Start(CorralBinary.Path, ["-s", "--", Helpers.GroupReport, "USR1"],
            new Dictionary<string, string?> { ["TINI_KILL_PROCESS_GROUP"] = "1" });
        run.WaitForLine("grandchild ready");
        run.WaitForLine("child ready");
        run.Signal(Sig.USR1);
        run.WaitForLine("grandchild got USR1");
    }

    [Fact]
    public void SIGTERM_to_corral_as_PID_1_lets_a_child_that_traps_it_finish_cleanly()
    {
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", CorralBinary.Path, "--", "sh", "-c",
            "trap 'echo cleaning up; exit 42' TERM; echo ready; while :; do sleep 0.05; done"]);
        run.WaitForLine("ready");
        Native.Kill(ProcFs.WaitForOnlyChild(run.Pid), Sig.TERM);
        Assert.Equal(42, run.WaitForExit());
        Assert.Contains("cleaning up", run.StdoutLines);
    }

    [Fact]
    public void Corral_catches_the_signals_it_forwards_but_installs_no_SIGCHLD_handler()
    {
        using var run = Run.Start(CorralBinary.Path, ["-s", "--", Helpers.TrapReport, "TERM"]);
        run.WaitForLine("child ready");
        var caught = ProcFs.CaughtSignals(run.Pid);
        Assert.Equal(0UL, caught & (1UL << (Sig.CHLD - 1)));
        foreach (var sig in new[] { Sig.TERM, Sig.INT, Sig.HUP, Sig.QUIT, Sig.USR1, Sig.USR2, Sig.WINCH })
            Assert.NotEqual(0UL, caught & (1UL << (sig - 1)));
    }

    [Fact]
    public void Corral_as_PID_1_installs_no_SIGCHLD_handler()
    {
        var r = Run.ExecAsPid1(CorralBinary.Path, "--", "sh", "-c", "grep SigCgt /proc/1/status");
        var mask = Convert.ToUInt64(r.Stdout.Split(':')[1].Trim(), 16);
        Assert.Equal(0UL, mask & (1UL << (Sig.CHLD - 1)));
        Assert.NotEqual(0UL, mask & (1UL << (Sig.TERM - 1)));
    }

    [Fact]
    public void A_signal_ignored_when_corral_started_is_still_forwarded()
    {
        // A shell's background job starts with INT and QUIT ignored; nohup ignores HUP.
        using var run = Run.Start("sh", ["-c", $"trap '' INT HUP; exec {CorralBinary.Path} -s -- {Helpers.TrapReport} INT HUP"]);
        run.WaitForLine("child ready");
        run.Signal(Sig.INT);
        run.WaitForLine("child got INT");
        run.Signal(Sig.HUP);
        run.WaitForLine("child got HUP");
    }
}
