using System.Text.RegularExpressions;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>
/// The s6-overlay helper commands (symlinks to corral, as s6-overlay puts them in /command),
/// called by the scripts of an s6 tree run by corral run --format s6, and from outside.
/// </summary>
public sealed class S6HelperTests
{
    static string Bin => CorralBinary.Path;

    static readonly string[] Tools = ["with-contenv", "s6-setuidgid", "s6-envuidgid", "fdmove", "s6-notifyoncheck", "s6-svc", "s6-svwait", "s6-svstat", "s6-svscanctl", "s6-rc", "halt"];

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

    /// <summary>A directory of links to corral, one per helper command.</summary>
    static string Links(string root)
    {
        var bin = Path.Combine(root, "command");
        Directory.CreateDirectory(bin);
        foreach (var tool in Tools) File.CreateSymbolicLink(Path.Combine(bin, tool), Bin);
        return bin;
    }

    static string Text(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    [Fact]
    public void Image_scripts_use_with_contenv_setuidgid_fdmove_notifyoncheck_and_a_logger_and_s6_svc_svwait_svstat_rc_control_the_services()
    {
        var root = Directory.CreateTempSubdirectory("corral-s6-tools-").FullName;
        var bin = Links(root);
        var events = Path.Combine(root, "events");
        var rc = Path.Combine(root, "etc/s6-overlay/s6-rc.d");
        // An init script with and without the container environment (S6_KEEP_ENV=0, the default).
        Script(Path.Combine(root, "etc/cont-init.d/10-env"), $"#!{bin}/with-contenv sh\necho contenv=$GREETING >> {events}\n");
        Script(Path.Combine(root, "etc/cont-init.d/20-plain"), $"#!/bin/sh\necho plain=${{GREETING:-unset}} >> {events}\n");
        // A legacy service that drops to nobody and writes to stderr, moved to stdout, read by its logger.
        Script(Path.Combine(root, "etc/services.d/app/run"), "#!/bin/sh\nexec fdmove -c 2 1 s6-setuidgid nobody sh -c 'echo \"app uid=$(id -u) pid=$$\" >&2; exec sleep 1000'\n");
        Script(Path.Combine(root, "etc/services.d/app/log/run"), $"#!/bin/sh\nwhile read line; do echo \"logged: $line\" >> {events}; done\n");
        // A longrun that becomes ready once its check passes.
        Put($"{rc}/web/type", "longrun\n");
        Put($"{rc}/web/notification-fd", "3\n");
        Script($"{rc}/web/data/check", $"#!/bin/sh\ntest -f {root}/web-started\n");
        Script($"{rc}/web/run", $"#!/bin/sh\nexec s6-notifyoncheck -w 50 -n 0 sh -c 'touch {root}/web-started; exec sleep 1000'\n");

        var env = new Dictionary<string, string?> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}", ["GREETING"] = "hello" };
        using var run = Run.Start(Bin, ["run", "--format", "s6", "--root", root], env);
        var outside = new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) };
        Result Tool(string name, params string[] args) => Run.ExecWith(Path.Combine(bin, name), outside, args);

        Wait.Until(() => Text(events).Contains("logged: app uid=65534"), null, "the app's line reached its logger");
        Assert.Contains("contenv=hello", Text(events));
        Assert.Contains("plain=unset", Text(events));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(root, "run/s6/container_environment/GREETING")));

        var ready = Tool("s6-svwait", "-U", "-t", "20000", "/run/service/web");
        Assert.True(ready.Code == 0, ready.Stderr);
        Assert.Equal("true true", Tool("s6-svstat", "-ur", "/run/service/web").Stdout.Trim());
        var status = Tool("s6-svstat", "/var/run/s6/legacy-services/app");
        Assert.Matches(@"^up \(pid \d+\) \d+ seconds, ready$", status.Stdout.Trim());
        var firstPid = Regex.Match(Text(events), @"logged: app uid=65534 pid=(\d+)").Groups[1].Value;

        // s6-svc -r restarts it: a second line, from a new process, through the same logger.
        var restart = Tool("s6-svc", "-r", "-wu", "-T", "20000", "/var/run/s6/legacy-services/app");
        Assert.True(restart.Code == 0, restart.Stderr);
        Wait.Until(() => Regex.Matches(Text(events), @"logged: app uid=65534 pid=(\d+)").Count >= 2, null, "the restarted app's line reached the logger");
        var pids = Regex.Matches(Text(events), @"logged: app uid=65534 pid=(\d+)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEqual(firstPid, pids[1]);

        var down = Tool("s6-svc", "-d", "-wd", "-T", "20000", "/run/service/web");
        Assert.True(down.Code == 0, down.Stderr);
        Assert.StartsWith("down (", Tool("s6-svstat", "/run/service/web").Stdout);
        Assert.Equal("false", Tool("s6-svstat", "-u", "/run/service/web").Stdout.Trim());
        var up = Tool("s6-rc", "-u", "change", "web");
        Assert.True(up.Code == 0, up.Stderr);
        Assert.Equal("true", Tool("s6-svstat", "-r", "/run/service/web").Stdout.Trim());
        Assert.Contains("web", Tool("s6-rc", "-a", "list").Stdout.Split('\n'));

        Assert.Equal(100, Tool("s6-svc").Code);
        Assert.Equal(111, Tool("s6-svstat", "/run/service/nosuch").Code);
        Assert.Equal(99, Tool("s6-svwait", "-d", "-t", "100", "/run/service/app").Code);

        Assert.Equal(0, Tool("s6-svscanctl", "-t", "/run/service").Code);
        Assert.Equal(0, run.WaitForExit());
    }

    [Fact]
    public void Halt_stops_the_container_and_s6_envuidgid_sets_the_account_variables()
    {
        var root = Directory.CreateTempSubdirectory("corral-s6-halt-").FullName;
        var bin = Links(root);
        var events = Path.Combine(root, "events");
        Script(Path.Combine(root, "etc/cont-init.d/10-ids"), $"#!/bin/sh\n{bin}/s6-envuidgid nobody sh -c 'echo \"$UID:$GID:$GIDLIST\" >> {events}'\n");
        Script(Path.Combine(root, "etc/services.d/app/run"), $"#!/bin/sh\ntrap 'echo stopped >> {events}; exit 0' TERM\n{bin}/halt\nwhile :; do sleep 0.05; done\n");
        using var run = Run.Start(Bin, ["run", "--format", "s6", "--root", root]);
        Assert.Equal(0, run.WaitForExit());
        var lines = File.ReadAllLines(events);
        // UID:GID:GIDLIST, the supplementary groups starting with the primary one.
        Assert.StartsWith("65534:65534:65534", lines[0]);
        Assert.Equal("stopped", lines[^1]);
    }
    [Fact]
    public void A_producer_for_pipeline_keeps_feeding_its_consumer_across_a_restart_of_the_consumer()
    {
        var root = Directory.CreateTempSubdirectory("corral-s6-pipe-").FullName;
        var bin = Links(root);
        var events = Path.Combine(root, "events");
        var rc = Path.Combine(root, "etc/s6-overlay/s6-rc.d");
        Put($"{rc}/ticker/type", "longrun\n");
        Put($"{rc}/ticker/producer-for", "sink\n");
        Script($"{rc}/ticker/run", "#!/bin/sh\ni=0\nwhile :; do i=$((i+1)); echo \"tick $i\"; sleep 0.05; done\n");
        Put($"{rc}/sink/type", "longrun\n");
        Put($"{rc}/sink/consumer-for", "ticker\n");
        Put($"{rc}/sink/pipeline-name", "ticks\n");
        Script($"{rc}/sink/run", $"#!/bin/sh\nwhile read line; do echo \"$$ $line\" >> {events}; done\n");
        Put($"{rc}/user/type", "bundle\n");
        Put($"{rc}/user/contents.d/ticker");

        using var run = Run.Start(Bin, ["run", "--format", "s6", "--root", root]);
        var outside = new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Run.RunDirectoryOf(run) };
        Result Tool(string name, params string[] args) => Run.ExecWith(Path.Combine(bin, name), outside, args);
        static HashSet<string> Readers(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])];

        Wait.Until(() => Text(events).Contains(" tick 3"), null, "ticks reached the consumer");
        var producer = Tool("s6-svstat", "-p", "/run/service/ticker").Stdout.Trim();
        var restart = Tool("s6-svc", "-r", "-wu", "-T", "20000", "/run/service/sink");
        Assert.True(restart.Code == 0, restart.Stderr);
        Wait.Until(() => Readers(Text(events)).Count >= 2, null, "the restarted consumer read ticks from the same pipe");
        Assert.Equal(producer, Tool("s6-svstat", "-p", "/run/service/ticker").Stdout.Trim());
        Assert.Equal(0, Tool("s6-svscanctl", "-t", "/run/service").Code);
        Assert.Equal(0, run.WaitForExit());
    }
}
