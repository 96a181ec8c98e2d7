using Corral.Tests.Infrastructure;

namespace Corral.Tests.Compat;

/// <summary>Corral invoked as tini behaves as Debian's tini 0.19 does, case by case.</summary>
public class TiniCompatTests
{
    public static TheoryData<string[]> Cases => new()
    {
        new[] { "-h" },
        new[] { "--version" },
        new[] { "--version", "extra" },
        Array.Empty<string>(),
        new[] { "-Z" },
        new[] { "-e" },
        new[] { "-p" },
        new[] { "-p", "SIGFOO", "true" },
        new[] { "-p", "KILL", "true" },
        new[] { "-e", "300", "true" },
        new[] { "-e", "abc", "true" },
        new[] { "-s", "/no/such/program" },
        new[] { "-s", "/etc/passwd" },
        new[] { "-s", "--", "sh", "-c", "exit 3" },
        new[] { "-s", "sh", "-c", "exit 3" },
        new[] { "-s", "-e", "3", "--", "sh", "-c", "exit 3" },
        new[] { "-s", "-e", "143", "--", "sh", "-c", "kill $$" },
        new[] { "-s", "-v", "--", "sh", "-c", "exit 3" },
        new[] { "-s", "-vv", "--", "sh", "-c", "kill -USR1 $$" },
        new[] { "-s", "-p", "SIGKILL", "-g", "-w", "--", "sh", "-c", "exit 0" },
        new[] { "-sv", "--", "true" },
        new[] { "--", "true" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Corral_as_tini_matches_tini(string[] args)
    {
        var (real, ours) = Differential.Run("tini", args);
        Assert.Equal(real, ours);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Corral_as_docker_init_matches_docker_init(string[] args)
    {
        var (real, ours) = Differential.Run("docker-init", args);
        Assert.Equal(real, ours);
    }

    [Theory]
    [InlineData("TINI_VERBOSITY", "0")]
    [InlineData("TINI_VERBOSITY", "2")]
    [InlineData("TINI_SUBREAPER", "1")]
    [InlineData("TINI_KILL_PROCESS_GROUP", "1")]
    public void Environment_variables_act_as_they_do_for_tini(string name, string value)
    {
        var (real, ours) = Differential.Run("tini", ["--", "sh", "-c", "exit 2"], new() { [name] = value });
        Assert.Equal(real, ours);
    }

    [Fact]
    public void Tini_l_shows_a_license_and_exits_0()
    {
        var r = Run.Exec(CorralBinary.As("tini"), "-l");
        Assert.Equal(0, r.Code);
        Assert.Contains("MIT License", r.Stdout);
    }

    [Fact]
    public void Tini_w_warns_about_each_reaped_zombie_in_tinis_words()
    {
        var r = Run.Exec(CorralBinary.As("tini"), "-s", "-w", "--", "sh", "-c", $"{Helpers.Orphans} 2 $PPID");
        Assert.Equal(0, r.Code);
        Assert.Equal(2, r.Stderr.Split('\n').Count(l => l.Contains("Reaped zombie process with pid=")));
    }

    [Fact]
    public void Tini_p_delivers_the_signal_when_the_parent_dies()
    {
        var dir = Directory.CreateTempSubdirectory("corral-pdeath-").FullName;
        var log = Path.Combine(dir, "log");
        using var parent = Run.Start("sh", ["-c",
            $"{CorralBinary.As("tini")} -s -p SIGUSR1 -- sh -c \"trap 'echo usr1 > {log}; exit 0' USR1; echo ready; while :; do sleep 0.05; done\" & wait"]);
        parent.WaitForLine("ready");
        Native.Kill(parent.Pid, Sig.KILL);
        Wait.Until(() => File.Exists(log) && File.ReadAllText(log).Trim() == "usr1", null, "the child to receive USR1");
    }

    [Fact]
    public void Tini_hands_the_child_the_signal_mask_and_ignored_signals_it_inherited()
    {
        // As tini's own signal-configuration test: the parent ignores some signals and blocks
        // others, then execs tini; the grandchild must see the same.
        var script = $"trap '' TTOU INT; exec {CorralBinary.As("tini")} -s -- grep -E 'SigBlk|SigIgn' /proc/self/status";
        var r = Run.Exec("sh", "-c", script);
        var ignored = Convert.ToUInt64(r.Stdout.Split('\n').Single(l => l.StartsWith("SigIgn", StringComparison.Ordinal)).Split(':')[1].Trim(), 16);
        Assert.NotEqual(0UL, ignored & (1UL << (Sig.INT - 1)));
        Assert.NotEqual(0UL, ignored & (1UL << (Sig.TTOU - 1)));
    }

    [Fact]
    public void Tini_passes_stdin_to_the_child()
    {
        using var run = Run.Start(CorralBinary.As("tini"), ["-s", "--", "sh"], redirectStdin: true);
        run.Stdin.WriteLine("echo from-stdin; exit 0");
        run.Stdin.Close();
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal("from-stdin", run.Stdout.Trim());
    }

    [Fact]
    public void Tini_runs_a_program_named_like_an_option_after_a_second_double_dash()
    {
        var (real, ours) = Differential.Run("tini", ["-s", "--", "--", "true"]);
        Assert.Equal(127, ours.Code);
        Assert.Equal(real, ours);
    }
}
