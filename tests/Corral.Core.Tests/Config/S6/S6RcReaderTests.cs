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
    public void Files_not_acted_on_yet_are_warnings_with_their_path()
    {
        var (_, diagnostics) = Read(Image);
        Assert.Contains(diagnostics, d => d.Severity == Severity.Warning && d.Where.File == $"{Root}/app/finish");
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
