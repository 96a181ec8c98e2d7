using Corral.Tests.Infrastructure;

namespace Corral.Tests.Compat;

/// <summary>
/// What a child inherits from the personalities, seen from the child: the signal state tini
/// hands on (tini's own test suite checks SigIgn and SigBlk), dumb-init's working directory,
/// and dumb-init passing on every catchable signal, the ones the runtime keeps included.
/// </summary>
public class InheritedStateTests
{
    static (ulong Ignored, ulong Blocked) SignalState(string status)
    {
        ulong Field(string name) => Convert.ToUInt64(status.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(), 16);
        return (Field("SigIgn"), Field("SigBlk"));
    }

    static ulong Bits(params int[] signals) => signals.Aggregate(0UL, (m, s) => m | 1UL << (s - 1));

    [Fact]
    public void As_tini_the_child_starts_with_exactly_the_ignored_and_blocked_signals_corral_was_started_with()
    {
        string[] parent = ["--ignore-signal=SEGV,TTOU,INT,PIPE", "--block-signal=TTIN,ILL,TERM"];
        var direct = Run.Exec("env", [.. parent, "cat", "/proc/self/status"]);
        var child = Run.Exec("env", [.. parent, CorralBinary.As("tini"), "-s", "--", "cat", "/proc/self/status"]);
        Assert.Equal(0, child.Code);
        Assert.Equal((Bits(2, 11, 13, 22), Bits(4, 15, 21)), SignalState(direct.Stdout));
        Assert.Equal(SignalState(direct.Stdout), SignalState(child.Stdout));
    }

    [Fact]
    public void As_tini_started_with_nothing_ignored_or_blocked_the_child_gets_none_of_corrals_own_signal_set_up()
    {
        // Corral ignores PIPE, TTIN and TTOU and handles 60 signals; glibc's posix_spawn used to
        // leave its own signals 32 and 33 ignored in every child.
        var child = Run.Exec("env", ["--default-signal", CorralBinary.As("tini"), "-s", "--", "cat", "/proc/self/status"]);
        Assert.Equal(0, child.Code);
        Assert.Equal((0UL, 0UL), SignalState(child.Stdout));
    }

    [Fact]
    public void As_tini_a_SIGPIPE_sent_with_kill_reaches_the_child()
    {
        using var run = Run.Start(CorralBinary.As("tini"), ["-s", "--", Helpers.Path("signal-report.py")]);
        run.WaitForLine("ready");
        run.Signal(13);
        run.WaitForLine("got 13");
    }

    [Theory]
    [InlineData("dumb-init", "DUMB_INIT_DEBUG")]
    [InlineData("tini", "TINI_SUBREAPER")]
    public void A_copy_of_corral_under_a_personalitys_name_chain_loads_itself_as_corral(string name, string variable)
    {
        // dumb-init's debug mode and tini's inherited ignored signals go through `corral exec`;
        // run under the copy's own name, that would be the personality again, without end.
        var dir = Directory.CreateTempSubdirectory("corral-copy-").FullName;
        var copy = Path.Combine(dir, name);
        File.Copy(CorralBinary.Path, copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var r = Run.ExecWith("env", new Dictionary<string, string?> { [variable] = "1" },
            "--ignore-signal=INT", copy, "echo", "ran");
        Assert.Equal(0, r.Code);
        Assert.Equal("ran", r.Stdout);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    public void As_dumb_init_the_child_starts_in_the_callers_directory_and_the_init_keeps_none(string setsid)
    {
        var dir = Directory.CreateTempSubdirectory("corral-cwd-").FullName;
        var r = Run.ExecWith("sh", new Dictionary<string, string?> { ["DUMB_INIT_SETSID"] = setsid },
            "-c", "cd \"$1\" && exec \"$2\" sh -c 'readlink /proc/$PPID/cwd; readlink /proc/$$/cwd'", "sh", dir, CorralBinary.As("dumb-init"));
        Assert.Equal(0, r.Code);
        Assert.Equal($"/\n{dir}", r.Stdout);
    }

    /// <summary>Every signal 1..31 but the uncatchable KILL and STOP, CHLD, and the three that suspend dumb-init.</summary>
    public static int[] CatchableSignals => [.. Enumerable.Range(1, 31).Where(s => s is not (9 or 19 or 17 or 20 or 21 or 22))];

    [Theory]
    [InlineData("1", new string[0])]
    [InlineData("0", new string[0])]
    [InlineData("1", new[] { "-r", "1:31", "-r", "31:1" })]
    [InlineData("0", new[] { "-r", "1:31", "-r", "31:1" })]
    public void As_dumb_init_every_catchable_signal_sent_with_kill_reaches_the_child(string setsid, string[] rewrite)
    {
        using var run = Run.Start(CorralBinary.As("dumb-init"), [.. rewrite, Helpers.Path("signal-report.py")],
            new Dictionary<string, string?> { ["DUMB_INIT_SETSID"] = setsid });
        run.WaitForLine("ready");
        foreach (var sig in CatchableSignals)
        {
            var expected = rewrite.Length == 0 ? sig : sig switch { 1 => 31, 31 => 1, _ => sig };
            run.Signal(sig);
            run.WaitForLine($"got {expected}");
        }
        Assert.False(run.HasExited);
    }
}
