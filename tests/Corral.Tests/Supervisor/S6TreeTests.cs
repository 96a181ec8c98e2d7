using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>An s6-overlay v3 tree, as images lay it out, run by corral run --format s6 --root DIR.</summary>
public sealed class S6TreeTests
{
    static string Bin => CorralBinary.Path;

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

    [Fact]
    public void A_oneshot_a_notifying_longrun_and_its_dependent_start_in_order_and_stop_in_reverse()
    {
        var root = Directory.CreateTempSubdirectory("corral-s6-").FullName;
        var events = Path.Combine(root, "events");
        var rc = Path.Combine(root, "etc/s6-overlay/s6-rc.d");
        Script(Path.Combine(root, "scripts/init-config"), $"#!/bin/sh\necho init >> {events}\n");
        Put($"{rc}/init-config/type", "oneshot\n");
        Put($"{rc}/init-config/up", $"{root}/scripts/init-config\n");
        Put($"{rc}/init-config/dependencies.d/base");
        Put($"{rc}/db/type", "longrun\n");
        Put($"{rc}/db/notification-fd", "3\n");
        Put($"{rc}/db/dependencies.d/init-config");
        Script($"{rc}/db/run", $"#!/bin/sh\ntrap 'echo stop db >> {events}; exit 0' TERM\nsleep 0.3\necho ready db >> {events}\necho >&3\nwhile :; do sleep 0.05; done\n");
        Put($"{rc}/app/type", "longrun\n");
        Put($"{rc}/app/dependencies.d/db");
        Script($"{rc}/app/run", $"#!/bin/sh\ntrap 'echo stop app >> {events}; exit 0' TERM\necho start app >> {events}\nwhile :; do sleep 0.05; done\n");
        Put($"{rc}/user/type", "bundle\n");
        Put($"{rc}/user/contents.d/app");
        Put($"{rc}/user/contents.d/db");

        using var run = Run.Start(Bin, ["run", "--format", "s6", "--root", root]);
        Wait.Until(() => File.Exists(events) && File.ReadAllText(events).Contains("start app"), null, "app started");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal(["init", "ready db", "start app", "stop app", "stop db"], File.ReadAllLines(events));
    }

    [Fact]
    public void Legacy_cont_init_scripts_run_in_order_first_and_services_d_start_after_the_user_bundle()
    {
        var root = Directory.CreateTempSubdirectory("corral-s6-legacy-").FullName;
        var events = Path.Combine(root, "events");
        var rc = Path.Combine(root, "etc/s6-overlay/s6-rc.d");
        Script(Path.Combine(root, "etc/cont-init.d/10-first"), $"#!/bin/sh\necho init 10 >> {events}\n");
        Script(Path.Combine(root, "etc/cont-init.d/20-second"), $"#!/bin/sh\necho init 20 >> {events}\nexit 1\n");
        Put($"{rc}/db/type", "longrun\n");
        Put($"{rc}/db/notification-fd", "3\n");
        Script($"{rc}/db/run", $"#!/bin/sh\ntrap 'echo stop db >> {events}; exit 0' TERM\necho start db >> {events}\necho >&3\nwhile :; do sleep 0.05; done\n");
        Put($"{rc}/user/type", "bundle\n");
        Put($"{rc}/user/contents.d/db");
        Script(Path.Combine(root, "etc/services.d/legacy/run"), $"#!/bin/sh\ntrap 'echo stop legacy >> {events}; exit 0' TERM\necho start legacy >> {events}\nwhile :; do sleep 0.05; done\n");

        using var run = Run.Start(Bin, ["run", "--format", "s6", "--root", root]);
        Wait.Until(() => File.Exists(events) && File.ReadAllText(events).Contains("start legacy"), null, "the legacy service started");
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        // A failing cont-init script does not stop the boot (S6_BEHAVIOUR_IF_STAGE2_FAILS=0, the default).
        Assert.Equal(["init 10", "init 20", "start db", "start legacy", "stop legacy", "stop db"], File.ReadAllLines(events));
    }
}
