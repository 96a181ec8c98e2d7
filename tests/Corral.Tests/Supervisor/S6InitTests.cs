using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>
/// Corral as s6-overlay's /init (a link named init) on trees laid out as s6-overlay v3 images lay
/// them out: boot order, readiness, the CMD, stop order with finish, down and cont-finish.d
/// scripts, and the exit-code rules. The root is $CORRAL_S6_ROOT instead of /.
/// </summary>
public sealed class S6InitTests
{
    static void Script(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    static void Put(string path, string text = "")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>An image's tree: a oneshot with a down, a notifying longrun with a finish, a dependent longrun, the user bundle, cont-init.d, services.d with finish, cont-finish.d.</summary>
    sealed class Image
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("corral-s6init-").FullName;
        public string Events => Path.Combine(Root, "events");
        public string Init => Path.Combine(Root, "bin/init");
        public string ExitFile => Path.Combine(Root, "run/s6-linux-init-container-results/exitcode");
        string Rc => Path.Combine(Root, "etc/s6-overlay/s6-rc.d");

        public Image()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Init)!);
            File.CreateSymbolicLink(Init, CorralBinary.Path);
            var e = Events;
            Script($"{Root}/etc/cont-init.d/10-config", $"#!/bin/sh\necho cont-init >> {e}\n");
            Script($"{Root}/scripts/init-config", $"#!/bin/sh\necho init >> {e}\n");
            Script($"{Root}/scripts/undo-config", $"#!/bin/sh\necho down init-config >> {e}\n");
            Put($"{Rc}/init-config/type", "oneshot\n");
            Put($"{Rc}/init-config/up", $"{Root}/scripts/init-config\n");
            Put($"{Rc}/init-config/down", $"{Root}/scripts/undo-config\n");
            Put($"{Rc}/init-config/dependencies.d/base");
            Put($"{Rc}/db/type", "longrun\n");
            Put($"{Rc}/db/notification-fd", "3\n");
            Put($"{Rc}/db/dependencies.d/init-config");
            Script($"{Rc}/db/run", $"#!/bin/sh\ntrap 'echo stop db >> {e}; exit 0' TERM\necho ready db >> {e}\necho >&3\nwhile :; do sleep 0.05; done\n");
            Script($"{Rc}/db/finish", $"#!/bin/sh\necho finish db $1 $2 >> {e}\n");
            Put($"{Rc}/app/type", "longrun\n");
            Put($"{Rc}/app/dependencies.d/db");
            Put($"{Rc}/app/notification-fd", "4\n");
            Script($"{Rc}/app/run", $"#!/bin/sh\ntrap 'echo stop app >> {e}; exit 0' TERM\necho start app >> {e}\necho >&4\nwhile :; do sleep 0.05; done\n");
            Put($"{Rc}/user/type", "bundle\n");
            Put($"{Rc}/user/contents.d/app");
            Put($"{Rc}/user/contents.d/db");
            Put($"{Rc}/user/contents.d/init-config");
            Put($"{Root}/etc/services.d/legacy/notification-fd", "3\n");
            Script($"{Root}/etc/services.d/legacy/run", $"#!/bin/sh\ntrap 'echo stop legacy >> {e}; exit 0' TERM\necho start legacy >> {e}\necho >&3\nwhile :; do sleep 0.05; done\n");
            Script($"{Root}/etc/services.d/legacy/finish", $"#!/bin/sh\necho finish legacy $1 $2 >> {e}\n");
            Script($"{Root}/etc/cont-finish.d/10-bye", $"#!/bin/sh\necho cont-finish >> {e}\n");
        }

        public Dictionary<string, string?> Env(params (string Key, string Value)[] more)
        {
            var env = new Dictionary<string, string?> { ["CORRAL_S6_ROOT"] = Root };
            foreach (var (k, v) in more) env[k] = v;
            return env;
        }

        public string[] Lines => File.Exists(Events) ? File.ReadAllLines(Events) : [];
    }

    static readonly string[] Boot = ["cont-init", "init", "ready db", "start app", "start legacy"];
    static readonly string[] Stop = ["stop legacy", "finish legacy 0 0", "stop app", "stop db", "finish db 0 0", "down init-config", "cont-finish"];

    [Fact]
    public void The_CMD_runs_once_everything_is_up_and_its_exit_code_ends_the_container_after_an_ordered_stop()
    {
        var image = new Image();
        using var run = Run.Start(image.Init, ["sh", "-c", $"echo cmd >> {image.Events}; exit 3"], image.Env(("S6_CMD_WAIT_FOR_SERVICES", "1")));
        Assert.Equal(3, run.WaitForExit());
        Assert.Equal([.. Boot, "cmd", .. Stop], image.Lines);
        Assert.Equal("3", File.ReadAllText(image.ExitFile).Trim());
        Assert.Contains(run.Stderr.Split('\n'), l => l.Contains("[corral] exit code 3: main service 'cmd' exited with code 3", StringComparison.Ordinal));
    }

    [Fact]
    public void S6_CMD_ARG0_is_put_before_the_CMD()
    {
        var image = new Image();
        using var run = Run.Start(image.Init, ["-c", $"echo arg0 >> {image.Events}; exit 4"], image.Env(("S6_CMD_ARG0", "sh")));
        Assert.Equal(4, run.WaitForExit());
        Assert.Contains("arg0", image.Lines);
    }

    [Fact]
    public void An_exit_code_a_cont_finish_script_writes_is_the_containers()
    {
        var image = new Image();
        Script($"{image.Root}/etc/cont-finish.d/20-verdict", $"#!/bin/sh\necho 7 > {image.ExitFile}\n");
        using var run = Run.Start(image.Init, ["true"], image.Env());
        Assert.Equal(7, run.WaitForExit());
        Assert.Contains(run.Stderr.Split('\n'), l => l.Contains($"[corral] exit code 7: written to {image.ExitFile}", StringComparison.Ordinal));
    }

    [Fact]
    public void With_BEHAVIOUR_IF_STAGE2_FAILS_2_a_failing_cont_init_script_stops_the_boot_with_a_non_zero_code()
    {
        var image = new Image();
        Script($"{image.Root}/etc/cont-init.d/20-broken", $"#!/bin/sh\necho broken >> {image.Events}\nexit 1\n");
        using var run = Run.Start(image.Init, ["sh", "-c", $"echo cmd >> {image.Events}"], image.Env(("S6_BEHAVIOUR_IF_STAGE2_FAILS", "2")));
        Assert.Equal(1, run.WaitForExit());
        Assert.Equal(["cont-init", "broken", "cont-finish"], image.Lines);
    }

    [Fact]
    public void With_BEHAVIOUR_IF_STAGE2_FAILS_0_a_failing_cont_init_script_does_not_stop_the_CMD()
    {
        var image = new Image();
        Script($"{image.Root}/etc/cont-init.d/20-broken", "#!/bin/sh\nexit 1\n");
        using var run = Run.Start(image.Init, ["sh", "-c", $"echo cmd >> {image.Events}"], image.Env());
        Assert.Equal(0, run.WaitForExit());
        Assert.Contains("cmd", image.Lines);
    }

    [Fact]
    public void A_finish_script_exiting_125_keeps_its_service_down()
    {
        var image = new Image();
        var e = image.Events;
        Script($"{image.Root}/etc/services.d/flaky/run", $"#!/bin/sh\necho run flaky >> {e}\nexit 1\n");
        Script($"{image.Root}/etc/services.d/flaky/finish", $"#!/bin/sh\necho finish flaky $1 $2 >> {e}\nexit 125\n");
        using var run = Run.Start(image.Init, [], image.Env());
        Wait.Until(() => run.Stderr.Contains("its finish script exited 125: not restarted", StringComparison.Ordinal), null, "flaky kept down");
        Wait.Until(() => image.Lines.Contains("start legacy"), null, "the legacy service up");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Single(image.Lines, "run flaky");
        Assert.Single(image.Lines, "finish flaky 1 0");
    }

    [Fact]
    public void As_PID_1_without_a_CMD_it_runs_until_signalled_then_stops_in_reverse_with_finish_scripts()
    {
        var image = new Image();
        using var run = Run.Start("unshare", ["--pid", "--fork", "--mount-proc", image.Init], image.Env());
        Wait.Until(() => image.Lines.Contains("start legacy"), null, "every service up");
        Native.Kill(ProcFs.WaitForOnlyChild(run.Pid), Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal([.. Boot, .. Stop], image.Lines);
        Assert.Equal("0", File.ReadAllText(image.ExitFile).Trim());
    }

    [Fact]
    public void With_S6_CMD_RECEIVE_SIGNALS_a_stop_signal_goes_to_the_CMD_which_decides_the_exit_code()
    {
        var image = new Image();
        using var run = Run.Start(image.Init, ["sh", "-c", $"trap 'echo cmd got TERM >> {image.Events}; exit 9' TERM; echo cmd >> {image.Events}; while :; do sleep 0.05; done"],
            image.Env(("S6_CMD_RECEIVE_SIGNALS", "1"), ("S6_CMD_WAIT_FOR_SERVICES", "1")));
        Wait.Until(() => image.Lines.Contains("cmd"), null, "the CMD running");
        run.Signal(Sig.TERM);
        Assert.Equal(9, run.WaitForExit());
        Assert.Equal([.. Boot, "cmd", "cmd got TERM", .. Stop], image.Lines);
    }

    [Fact]
    public void Fix_attrs_files_are_warned_and_not_applied()
    {
        var image = new Image();
        Put($"{image.Root}/etc/fix-attrs.d/01-data", "/var/lib/data true nobody 0600 0700\n");
        var check = Run.ExecWith(CorralBinary.Path, null, "check", "--format", "s6", "--root", image.Root);
        Assert.Equal(0, check.Code);
        Assert.Contains($"{image.Root}/etc/fix-attrs.d/01-data:1: warning: fix-attrs.d is not applied by Corral", check.Stderr);
    }
}
