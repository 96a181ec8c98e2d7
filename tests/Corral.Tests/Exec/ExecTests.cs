using Corral.Tests.Infrastructure;

namespace Corral.Tests.Exec;

public class ExecTests
{
    [Fact]
    public void Exec_user_nobody_drops_uid_gid_and_supplementary_groups()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--user", "nobody", "--", "sh", "-c", "id -u; id -g; id -G; echo $HOME");
        Assert.Equal(0, r.Code);
        Assert.Equal(["65534", "65534", "65534", "/nonexistent"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Exec_user_with_group_takes_only_that_group()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--user", "nobody:daemon", "--", "sh", "-c", "id -u; id -g; id -G");
        Assert.Equal(["65534", "1", "1"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Exec_replaces_the_process_rather_than_spawning_a_child()
    {
        var r = Run.Exec("sh", "-c", $"echo $$; exec {CorralBinary.Path} exec -- sh -c 'echo $$'");
        var pids = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(pids[0], pids[1]);
    }

    [Fact]
    public void Exec_sets_umask_and_resource_limits()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--umask", "027", "--rlimit", "nofile=100:200", "--", "sh", "-c", "umask; ulimit -n; ulimit -Hn");
        Assert.Equal(["0027", "100", "200"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Exec_no_new_privs_is_visible_in_proc()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--no-new-privs", "--", "grep", "NoNewPrivs", "/proc/self/status");
        Assert.Matches(@"NoNewPrivs:\s+1", r.Stdout);
    }

    [Fact]
    public void Exec_resets_SIGPIPE_to_its_default_for_the_program()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--", "grep", "SigIgn", "/proc/self/status");
        Assert.Matches(@"SigIgn:\s+0+$", r.Stdout.Trim());
    }

    [Fact]
    public void Exec_of_an_unknown_user_fails_clearly()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--user", "no-such-user-here", "--", "true");
        Assert.NotEqual(0, r.Code);
        Assert.Contains("no such user 'no-such-user-here'", r.Stderr);
    }

    [Fact]
    public void Exec_of_a_missing_program_exits_127()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--", "/no/such/program");
        Assert.Equal(127, r.Code);
        Assert.Contains("No such file or directory", r.Stderr);
    }

    [Fact]
    public void Exec_with_a_bad_rlimit_prints_usage()
    {
        var r = Run.Exec(CorralBinary.Path, "exec", "--rlimit", "bogus=1", "--", "true");
        Assert.Equal(2, r.Code);
        Assert.Contains("unknown resource 'bogus'", r.Stderr);
    }

    [Fact]
    public void Children_of_corral_start_with_no_signal_ignored_or_blocked()
    {
        var r = Run.Exec(CorralBinary.Path, "-s", "--", "grep", "-E", "SigIgn|SigBlk", "/proc/self/status");
        Assert.Matches(@"SigBlk:\s+0+\s+SigIgn:\s+0+", r.Stdout.Trim());
    }

    [Fact]
    public void Exec_pdeathsig_is_set_for_the_program_after_the_identity_change()
    {
        // /proc does not show the parent-death signal; the program sees it with prctl(PR_GET_PDEATHSIG).
        var r = Run.Exec(CorralBinary.Path, "exec", "--user", "nobody", "--pdeathsig", "SIGUSR1", "--", "python3", "-c",
            "import ctypes; v=ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(v)); print(v.value)");
        Assert.Equal(0, r.Code);
        Assert.Equal("10", r.Stdout.Trim());
    }
}
