using Corral.Core.Config.S6;
using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config.S6;

public class S6RcReaderTests
{
    const string Root = "/etc/s6-overlay/s6-rc.d";

    static S6Definition Def(string name, params (string File, string Content)[] files) =>
        new(name, $"{Root}/{name}", files.ToDictionary(f => f.File, f => f.Content));

    static readonly S6Definition[] Image =
    [
        Def("init-config", ("type", "oneshot\n"), ("up", "/etc/s6-overlay/scripts/init-config\n"), ("dependencies.d/base", "")),
        Def("db", ("type", "longrun\n"), ("run", "#!/bin/sh\nexec postgres\n"), ("notification-fd", "3\n"), ("down-signal", "SIGINT\n"), ("timeout-kill", "5000\n"), ("dependencies.d/init-config", "")),
        Def("app", ("type", "longrun\n"), ("run", "#!/bin/sh\nexec app\n"), ("dependencies.d/db", ""), ("finish", "#!/bin/sh\n")),
        Def("tools", ("type", "longrun\n"), ("run", "#!/bin/sh\nexec sleep 1000\n")),
        Def("stack", ("type", "bundle\n"), ("contents.d/db", ""), ("contents.d/app", "")),
        Def("user", ("type", "bundle\n"), ("contents.d/stack", ""), ("contents.d/init-config", "")),
    ];

    static (SupervisorConfig Config, IReadOnlyList<Diagnostic> Diagnostics) Read(params S6Definition[] definitions)
    {
        var (config, diagnostics) = S6RcReader.Read(definitions, Root);
        Assert.True(config is not null, string.Join("\n", diagnostics));
        return (config!, diagnostics);
    }

    static ServiceSpec Service(SupervisorConfig c, string name) => c.Services.Single(s => s.Name == name);

    [Fact]
    public void Longruns_run_their_run_script_in_their_directory_and_oneshots_their_up_line()
    {
        var (config, _) = Read(Image);
        var db = Service(config, "db");
        Assert.Equal(ServiceType.Longrun, db.Type);
        Assert.Equal($"{Root}/db/run", Assert.Single(db.Command));
        Assert.Equal($"{Root}/db", db.WorkingDir);
        Assert.Equal(RestartPolicy.Always, db.Restart);
        var init = Service(config, "init-config");
        Assert.Equal(ServiceType.Oneshot, init.Type);
        Assert.Equal("/etc/s6-overlay/scripts/init-config", Assert.Single(init.Command));
        Assert.DoesNotContain(config.Services, s => s.Name is "user" or "stack");
    }

    [Fact]
    public void Notification_fd_down_signal_and_timeout_kill_become_readiness_and_the_stop()
    {
        var db = Service(Read(Image).Config, "db");
        Assert.Equal(new ReadySpec(ReadinessKind.NotifyFd, 3), db.Ready);
        Assert.Equal(new StopSpec(Signals.SIGINT, TimeSpan.FromSeconds(5)), db.Stop);
    }

    [Fact]
    public void Dependencies_wait_for_a_oneshot_to_succeed_and_a_notifying_longrun_to_be_ready_and_bundles_stand_for_their_members()
    {
        var config = Read([.. Image, Def("web", ("type", "longrun\n"), ("run", "x"), ("dependencies.d/stack", ""))]).Config;
        Assert.Equal([("init-config", DependencyCondition.CompletedSuccessfully)], Service(config, "db").DependsOn.Select(d => (d.Service, d.Condition)));
        Assert.Equal([("db", DependencyCondition.Ready)], Service(config, "app").DependsOn.Select(d => (d.Service, d.Condition)));
        Assert.Equal(["app", "db"], Service(config, "web").DependsOn.Select(d => d.Service).Order());
        Assert.Equal(["stack", "user"], Service(config, "db").MemberOf.Order());
    }

    [Fact]
    public void What_the_user_bundle_needs_starts_and_other_definitions_wait_for_a_start_request()
    {
        var config = Read(Image).Config;
        Assert.True(Service(config, "db").AutoStart);
        Assert.True(Service(config, "init-config").AutoStart);
        Assert.False(Service(config, "tools").AutoStart);
    }

    [Fact]
    public void Files_not_acted_on_are_warnings_with_their_path()
    {
        var (_, diagnostics) = Read([.. Image, Def("misplaced", ("type", "longrun\n"), ("run", "x"), ("up", "setup\n"), ("colour", "blue\n"))]);
        Assert.Contains(diagnostics, d => d.Severity == Severity.Warning && d.Where.File == $"{Root}/misplaced/up");
        Assert.Contains(diagnostics, d => d.Severity == Severity.Warning && d.Where.File == $"{Root}/misplaced/colour");
        Assert.DoesNotContain(diagnostics, d => d.Where.File == $"{Root}/app/finish");
    }

    [Fact]
    public void A_longruns_finish_and_a_oneshots_down_are_read_with_their_time_limits()
    {
        var (config, _) = Read(
            Def("a", ("type", "longrun\n"), ("run", "x"), ("finish", "#!/bin/sh\n")),
            Def("b", ("type", "longrun\n"), ("run", "x"), ("finish", "#!/bin/sh\n"), ("timeout-finish", "250\n"), ("timeout-down", "1500\n")),
            Def("c", ("type", "oneshot\n"), ("up", "setup --now\n"), ("down", "teardown 'all of it'\n"), ("timeout-down", "800\n")));
        Assert.Equal([$"{Root}/a/finish"], Service(config, "a").FinishCommand.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(5), Service(config, "a").FinishTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), Service(config, "b").FinishTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Service(config, "b").Stop.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), Service(config, "a").Stop.Timeout);
        Assert.Equal(["teardown", "all of it"], Service(config, "c").DownCommand.ToArray());
        Assert.Equal(TimeSpan.FromMilliseconds(800), Service(config, "c").FinishTimeout);
    }

    [Fact]
    public void As_init_the_CMD_waits_for_everything_and_cont_finish_scripts_are_brought_down_last_in_name_order()
    {
        var options = S6Options.From(new Dictionary<string, string> { ["S6_CMD_ARG0"] = "/entry.sh", ["S6_KILL_FINISH_MAXTIME"] = "700", ["S6_KILL_GRACETIME"] = "400", ["S6_CMD_RECEIVE_SIGNALS"] = "1" });
        var legacy = new S6Definition("legacy", "/etc/services.d/legacy", new Dictionary<string, string> { ["run"] = "x", ["finish"] = "y" });
        var (config, diagnostics) = S6RcReader.Read(Image, Root, ["/etc/cont-init.d/10-a"], [legacy], ["/etc/cont-finish.d/20-b", "/etc/cont-finish.d/10-a"], options, ["nginx", "-g", "daemon off;"]);
        Assert.True(config is not null, string.Join("\n", diagnostics));
        var cmd = Service(config!, "cmd");
        Assert.True(cmd.Main);
        Assert.Equal(["/entry.sh", "nginx", "-g", "daemon off;"], cmd.Command.ToArray());
        Assert.Contains(cmd.DependsOn, d => d.Service == "db" && d.Condition == DependencyCondition.Ready);
        Assert.Contains(cmd.DependsOn, d => d.Service == "app" && d.Condition == DependencyCondition.Started);
        Assert.Contains(cmd.DependsOn, d => d.Service == "init-config" && d.Condition == DependencyCondition.Completed);
        Assert.Contains(cmd.DependsOn, d => d.Service == "legacy" && d.Condition == DependencyCondition.Started);
        Assert.DoesNotContain(cmd.DependsOn, d => d.Service == "tools");
        Assert.Equal(["/etc/services.d/legacy/finish"], Service(config!, "legacy").FinishCommand.ToArray());
        var first = Service(config!, "cont-finish.10-a");
        var second = Service(config!, "cont-finish.20-b");
        Assert.True(first.Command.IsEmpty);
        Assert.Equal(["/etc/cont-finish.d/10-a"], first.DownCommand.ToArray());
        Assert.Equal(TimeSpan.FromMilliseconds(700), first.FinishTimeout);
        // 10-a depends on 20-b, so 10-a is brought down first; every other service depends on 10-a (the CMD through them).
        Assert.Equal("cont-finish.20-b", Assert.Single(first.DependsOn).Service);
        Assert.Empty(second.DependsOn);
        Assert.All(config!.Services.Where(s => !s.MemberOf.Contains("cont-finish") && !s.Main), s => Assert.Contains(s.DependsOn, d => d.Service == "cont-finish.10-a"));
        Assert.Equal(TimeSpan.FromMilliseconds(400), config.SweepGrace);
        Assert.True(config.SignalsToMain);
    }

    [Fact]
    public void BEHAVIOUR_IF_STAGE2_FAILS_2_makes_a_failing_cont_init_script_or_oneshot_stop_the_container()
    {
        var strict = S6Options.From(new Dictionary<string, string> { ["S6_BEHAVIOUR_IF_STAGE2_FAILS"] = "2" });
        var (config, _) = S6RcReader.Read(Image, Root, ["/etc/cont-init.d/10-a"], [], [], strict, []);
        Assert.Equal(FailureAction.Shutdown, Service(config!, "cont-init.10-a").OnFailure);
        Assert.Equal(FailureAction.Shutdown, Service(config!, "init-config").OnFailure);
        var (lenient, _) = S6RcReader.Read(Image, Root, ["/etc/cont-init.d/10-a"], [], [], S6Options.From(new Dictionary<string, string> { ["S6_BEHAVIOUR_IF_STAGE2_FAILS"] = "1" }), []);
        Assert.Equal(FailureAction.Ignore, Service(lenient!, "cont-init.10-a").OnFailure);
    }

    [Fact]
    public void S6_variables_that_are_not_plain_numbers_keep_their_defaults_and_unknown_ones_are_ignored()
    {
        var options = S6Options.From(new Dictionary<string, string> { ["S6_KILL_FINISH_MAXTIME"] = "5s", ["S6_VERBOSITY"] = "-1", ["S6_SOMETHING_NEW"] = "1" });
        Assert.Equal(S6Options.Default, options);
        Assert.Equal(5000, options.KillFinishMaxTime);
        Assert.Equal(2, options.Verbosity);
    }

    [Fact]
    public void Bad_definitions_are_errors_naming_the_file()
    {
        var (config, diagnostics) = S6RcReader.Read(
        [
            Def("a", ("type", "daemon\n")),
            Def("b", ("type", "longrun\n")),
            Def("c", ("type", "longrun\n"), ("run", "x"), ("dependencies.d/nope", ""), ("notification-fd", "x")),
            Def("d", ("type", "longrun\n"), ("run", "x"), ("dependencies.d/legacy-services", "")),
        ], Root);
        Assert.Null(config);
        Assert.Equal(
        [
            $"{Root}/a/type:1: 'daemon' is not longrun, oneshot or bundle",
            $"{Root}/b/run:1: missing: a longrun needs a run script",
            $"{Root}/c/notification-fd:1: 'x' is not a number from 3 to 1023",
            $"{Root}/c/dependencies.d/nope:1: 'nope' is not a service definition",
        ], diagnostics.Select(d => d.ToString()));
    }
}
