using Corral.Tests.Infrastructure;

using System.Text.RegularExpressions;

namespace Corral.Tests.Compat;

/// <summary>
/// The same supervisord.conf under the real supervisord (Debian's supervisor 4.2.5) and under
/// Corral, observed the same way, through the real supervisorctl and what the programs write:
/// the same start order, the same states a program that cannot start goes through to FATAL,
/// the same stop order.
/// </summary>
public sealed partial class SupervisordSideBySideTests
{
    const string Supervisord = SupervisordConf.Supervisord;
    const string Supervisorctl = SupervisordConf.Supervisorctl;

    sealed record Observed(IReadOnlyList<string> SpawnOrder, IReadOnlyList<string> FailerStates, int FailerStarts, IReadOnlyList<string> StopOrder);

    /// <summary>
    /// failer exits at once; its startsecs is long so that a loaded machine cannot make the real
    /// supervisord see it RUNNING before it sees the exit (which resets its retries).
    /// </summary>
    static string Config(string dir) => SupervisordConf.Header(dir) + $"""
        [program:db]
        command=sh -c 'echo "start db $$$$" >> {dir}/events; trap "echo stop db >> {dir}/events; exit 0" TERM; while :; do sleep 0.05; done'
        priority=10
        stdout_logfile=/dev/stdout
        stdout_logfile_maxbytes=0

        [program:cache]
        command=sh -c 'echo "start cache $$$$" >> {dir}/events; trap "echo stop cache >> {dir}/events; exit 0" TERM; while :; do sleep 0.05; done'
        priority=100

        [program:app]
        command=sh -c 'echo "start app $$$$" >> {dir}/events; trap "echo stop app >> {dir}/events; exit 0" TERM; while :; do sleep 0.05; done'
        priority=900

        [program:failer]
        command=sh -c 'echo "try failer $$$$" >> {dir}/events; exit 3'
        priority=950
        startsecs=10
        startretries=2
        """;

    static Observed Observe(Func<string, string, Run> start)
    {
        var dir = Directory.CreateTempSubdirectory("corral-side-").FullName;
        var conf = Path.Combine(dir, "supervisord.conf");
        File.WriteAllText(conf, Config(dir).Replace("$$$$", "$$"));
        var events = Path.Combine(dir, "events");
        using var run = start(conf, dir);

        // The states failer goes through, as supervisorctl sees them, until FATAL.
        var states = new List<string>();
        Wait.Until(() =>
        {
            var status = Run.Exec(Supervisorctl, "-c", conf, "status", "failer").Stdout;
            var state = StateWord().Match(status) is { Success: true } m ? m.Groups[1].Value : "";
            if (state.Length > 0 && (states.Count == 0 || states[^1] != state)) states.Add(state);
            return state == "FATAL";
        }, TimeSpan.FromSeconds(30), "failer FATAL");
        Wait.Until(() => File.Exists(events) && File.ReadAllLines(events).Count(l => l.StartsWith("start ", StringComparison.Ordinal)) == 3, null, "three programs started");

        Native.Kill(run.Pid, Sig.TERM);
        run.WaitForExit();
        var lines = File.ReadAllLines(events);
        // Spawn order: by pid (the programs write their lines concurrently; pids are handed out in spawn order).
        var spawnOrder = lines.Where(l => l.StartsWith("start ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).OrderBy(p => int.Parse(p[2])).Select(p => p[1]).ToList();
        var stopOrder = lines.Where(l => l.StartsWith("stop ", StringComparison.Ordinal)).Select(l => l[5..]).ToList();
        return new Observed(spawnOrder, states, lines.Count(l => l.StartsWith("try failer", StringComparison.Ordinal)), stopOrder);
    }

    [Fact]
    public void The_same_supervisord_conf_starts_fails_and_stops_the_same_under_supervisord_and_corral()
    {
        var real = Observe((conf, _) => Run.Start(Supervisord, ["-n", "-c", conf]));
        var corral = Observe((conf, _) => Run.Start(CorralBinary.Path, ["run", "-c", conf]));

        Assert.Equal(["db", "cache", "app"], real.SpawnOrder);
        Assert.Equal(real.SpawnOrder, corral.SpawnOrder);
        Assert.Equal(["app", "cache", "db"], real.StopOrder);
        Assert.Equal(real.StopOrder, corral.StopOrder);
        // startretries=2: three starts, then FATAL; BACKOFF seen on the way by both.
        Assert.Equal(3, real.FailerStarts);
        Assert.Equal(real.FailerStarts, corral.FailerStarts);
        Assert.Equal("FATAL", real.FailerStates[^1]);
        Assert.Equal("FATAL", corral.FailerStates[^1]);
        Assert.Contains("BACKOFF", real.FailerStates);
        Assert.Contains("BACKOFF", corral.FailerStates);
        // Polled, so a short state (STARTING) may be seen on one side only: both stay within the
        // states supervisord goes through for a program that cannot start.
        string[] cannotStart = ["STOPPED", "STARTING", "BACKOFF", "FATAL"];
        Assert.All(real.FailerStates, s => Assert.Contains(s, cannotStart));
        Assert.All(corral.FailerStates, s => Assert.Contains(s, cannotStart));
    }

    [GeneratedRegex(@"^failer\s+([A-Z]+)", RegexOptions.Multiline)]
    private static partial Regex StateWord();
}
