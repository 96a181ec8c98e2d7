using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

public class ReloadTests
{
    [Fact]
    public void SIGHUP_reloads_added_removed_changed_and_keeps_the_unchanged_running()
    {
        var dir = new ConfigDir("""
            services:
              keep: {command: sh -c 'echo keep up; exec sleep 1000'}
              drop: {command: sh -c 'echo drop up; exec sleep 1000'}
              change: {command: sh -c 'echo change v1; exec sleep 1000'}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("keep up", StringComparison.Ordinal));
        run.WaitForLine(l => l.EndsWith("drop up", StringComparison.Ordinal));
        run.WaitForLine(l => l.EndsWith("change v1", StringComparison.Ordinal));
        // The status file is written just after the event that started them: wait for it.
        var keep = Wait.Until(() => KeepPid(run) is var p and > 0 ? p : (int?)null, null, "keep's pid in the status file");

        File.WriteAllText(dir.Config, """
            services:
              keep: {command: sh -c 'echo keep up; exec sleep 1000'}
              change: {command: sh -c 'echo change v2; exec sleep 1000'}
              add: {command: sh -c 'echo add up; exec sleep 1000'}
            """);
        run.Signal(Sig.HUP);
        run.WaitForLine(l => l.EndsWith("add up", StringComparison.Ordinal));
        run.WaitForLine(l => l.EndsWith("change v2", StringComparison.Ordinal));
        Wait.Until(() => run.Stderr.Contains("drop: removed", StringComparison.Ordinal), null, "drop to go");
        Assert.Equal(keep, KeepPid(run));
        Assert.Single(run.StdoutLines, l => l.EndsWith("keep up", StringComparison.Ordinal));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_reload_replaces_variables_from_corrals_environment_as_the_start_did()
    {
        var dir = new ConfigDir("services:\n  a:\n    command: sh -c 'echo v1 ${GREETING}; exec sleep 1000'\n");
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config], new Dictionary<string, string?> { ["GREETING"] = "hello" });
        run.WaitForLine(l => l.EndsWith("v1 hello", StringComparison.Ordinal));
        File.WriteAllText(dir.Config, "services:\n  a:\n    command: sh -c 'echo v2 ${GREETING}; exec sleep 1000'\n");
        run.Signal(Sig.HUP);
        run.WaitForLine(l => l.EndsWith("v2 hello", StringComparison.Ordinal));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void A_reload_with_a_broken_config_keeps_everything_running_and_says_why()
    {
        var dir = new ConfigDir("""
            services:
              a: {command: sh -c 'echo a up; exec sleep 1000'}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.EndsWith("a up", StringComparison.Ordinal));
        File.WriteAllText(dir.Config, "services:\n  a: {command: x, restart: sometimes}\n");
        run.Signal(Sig.HUP);
        Wait.Until(() => run.Stderr.Contains("reload failed", StringComparison.Ordinal), null, "the refusal");
        Assert.Contains("restart", run.Stderr);
        // status.json follows the start within 50 ms; the refused reload changed nothing.
        Wait.Until(() => Run.ExecWith(CorralBinary.Path, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) }, "healthcheck").Code == 0, null, "healthcheck to say healthy");
        Assert.False(run.HasExited);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.Single(run.StdoutLines, l => l.EndsWith("a up", StringComparison.Ordinal));
    }

    [Fact]
    public void A_reload_that_adds_a_service_works_with_colours_on()
    {
        var dir = new ConfigDir("""
            color: always
            services:
              a: {command: sh -c 'echo a up; exec sleep 1000'}
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", dir.Config]);
        run.WaitForLine(l => l.Contains("a up", StringComparison.Ordinal));
        File.WriteAllText(dir.Config, File.ReadAllText(dir.Config) + "\n  newcomer: {command: sh -c 'echo newcomer up; exec sleep 1000'}\n");
        run.Signal(Sig.HUP);
        run.WaitForLine(l => l.Contains("newcomer up", StringComparison.Ordinal));
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit());
        Assert.DoesNotContain("internal error", run.Stderr);
    }

    static int KeepPid(Run run)
    {
        var path = Path.Combine(Run.RunDirectoryOf(run), "status.json");
        if (!File.Exists(path)) return 0;
        var status = File.ReadAllText(path);
        using var doc = System.Text.Json.JsonDocument.Parse(status);
        return doc.RootElement.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "keep").GetProperty("pid").GetInt32();
    }
}
