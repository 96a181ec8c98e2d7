using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>A Procfile as foreman and overmind users run it: PORT per process, formation, .env, and the set stops when one dies.</summary>
public sealed class ProcfileTests
{
    static string Bin => CorralBinary.Path;

    static string Dir(string procfile, string? env = null)
    {
        var dir = Directory.CreateTempSubdirectory("corral-procfile-").FullName;
        File.WriteAllText(Path.Combine(dir, "Procfile"), procfile);
        if (env is not null) File.WriteAllText(Path.Combine(dir, ".env"), env);
        return dir;
    }

    /// <summary>corral run in dir (so ./Procfile is found as foreman finds it), with these options.</summary>
    static Run RunIn(string dir, string options) => Run.Start("sh", ["-c", $"cd {dir} && exec {Bin} run {options} 2>&1"]);

    [Fact]
    public void A_Procfile_in_the_working_directory_runs_with_foreman_s_PORT_and_the_env_file()
    {
        var dir = Dir("""
            web: echo "$PS port $PORT greeting $GREETING"; exec sleep 1000
            worker: echo "$PS port $PORT"; exec sleep 1000
            """, env: "GREETING=hello\n");
        using var run = RunIn(dir, "-m web=2 -p 7000");
        run.WaitForLine(l => l.EndsWith("web.1 port 7000 greeting hello", StringComparison.Ordinal));
        run.WaitForLine(l => l.EndsWith("web.2 port 7001 greeting hello", StringComparison.Ordinal));
        run.WaitForLine(l => l.EndsWith("worker.1 port 7100", StringComparison.Ordinal));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void When_one_process_ends_the_others_are_stopped_and_corral_exits_with_its_code()
    {
        var dir = Dir("""
            web: exec sleep 1000
            migrate: sleep 0.2; exit 4
            """);
        using var run = RunIn(dir, "");
        Assert.Equal(4, run.WaitForExit());
        Assert.Contains(run.StdoutLines, l => l.Contains("web.1: stopped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_type_that_may_die_ends_alone()
    {
        var dir = Dir("""
            web: echo up; exec sleep 1000
            once: echo done once
            """);
        using var run = RunIn(dir, "--can-die once");
        run.WaitForLine(l => l.Contains("once.1: exited", StringComparison.Ordinal));
        Assert.DoesNotContain(run.StdoutLines, l => l.Contains("shutting down", StringComparison.Ordinal));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void Check_reads_a_Procfile_and_a_wrong_formation_is_an_error_with_the_file()
    {
        var dir = Dir("web: exec sleep 1000\n");
        var procfile = Path.Combine(dir, "Procfile");
        var ok = Run.Exec(Bin, "check", "--procfile", procfile);
        Assert.Equal(0, ok.Code);
        Assert.Contains("ok, 1 service", ok.Stdout);
        var wrong = Run.Exec(Bin, "check", "--procfile", procfile, "-m", "api=2");
        Assert.Equal(1, wrong.Code);
        Assert.Contains($"{procfile}: --formation: 'api' is not a process type", wrong.Stderr);
        var notProcfile = Run.Exec(Bin, "run", "-c", procfile + ".yaml", "-m", "web=2");
        Assert.Equal(2, notProcfile.Code);
        Assert.Contains("are for a Procfile", notProcfile.Stderr);
    }
}
