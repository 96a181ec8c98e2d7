using System.Text.RegularExpressions;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Compat;

/// <summary>
/// supervisord's event listeners with real listeners written against Debian's supervisor
/// package (<c>from supervisor import childutils</c>), as images ship them: the one that stops
/// the container when a program enters FATAL, and a recorder whose event sequence is compared
/// with what the real supervisord sends it for the same file.
/// </summary>
public sealed partial class EventListenerTests
{
    const string Python = "/usr/bin/python3";
    const string Supervisord = SupervisordConf.Supervisord;
    const string Supervisorctl = SupervisordConf.Supervisorctl;

    static bool HaveSupervisor => File.Exists(Python) && File.Exists("/usr/lib/python3/dist-packages/supervisor/childutils.py");

    /// <summary>The widespread one: on PROCESS_STATE_FATAL, SIGTERM to its parent (supervisord), so the container ends.</summary>
    const string KillOnFatal = """
        import os, signal, sys
        from supervisor import childutils

        def main():
            while True:
                headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
                if headers['eventname'] == 'PROCESS_STATE_FATAL':
                    sys.stderr.write('fatal: %s, stopping the container\n' % payload)
                    sys.stderr.flush()
                    os.kill(os.getppid(), signal.SIGTERM)
                childutils.listener.ok(sys.stdout)

        if __name__ == '__main__':
            main()
        """;

    /// <summary>The same idea through the XML-RPC interface it finds by SUPERVISOR_SERVER_URL.</summary>
    const string ShutdownOnFatal = """
        import sys
        from supervisor import childutils

        while True:
            headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
            if headers['eventname'] == 'PROCESS_STATE_FATAL':
                childutils.getRPCInterface(__import__('os').environ).supervisor.shutdown()
            childutils.listener.ok(sys.stdout)
        """;

    /// <summary>Writes each event it gets as one line: name, then the payload's fields.</summary>
    const string Recorder = """
        import sys
        from supervisor import childutils

        out = open(sys.argv[1], 'a')
        while True:
            headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
            out.write('%s %s %s\n' % (headers['eventname'], headers['pool'], payload.replace('\n', '|')))
            out.flush()
            childutils.listener.ok(sys.stdout)
        """;

    static string Setup(string listener, Func<string, string> body)
    {
        var dir = Directory.CreateTempSubdirectory("corral-listener-").FullName;
        File.WriteAllText(Path.Combine(dir, "listener.py"), listener);
        var conf = Path.Combine(dir, "supervisord.conf");
        File.WriteAllText(conf, SupervisordConf.Header(dir) + body(dir));
        return conf;
    }

    [Theory]
    [InlineData(KillOnFatal)]
    [InlineData(ShutdownOnFatal)]
    public void A_listener_that_ends_the_container_when_a_program_enters_FATAL_ends_corral(string listener)
    {
        if (!HaveSupervisor) return;
        var conf = Setup(listener, dir => $"""
            [program:web]
            command=sh -c 'echo web up; exec sleep 1000'

            [program:worker]
            command=sh -c 'exit 1'
            startsecs=1
            startretries=1

            [eventlistener:fatal]
            command={Python} {dir}/listener.py
            events=PROCESS_STATE_FATAL
            """);
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", conf]);
        run.WaitForLine("web up");
        run.WaitForExit(TimeSpan.FromSeconds(30));
        // worker went FATAL, the listener said so on its stderr (logged), and Corral stopped everything and ended.
        Assert.Contains("worker: failed: exited too quickly", run.Stderr);
        if (listener == KillOnFatal)
        {
            Assert.Contains("fatal: processname:worker groupname:worker from_state:BACKOFF, stopping the container", run.Stdout + run.Stderr);
            Assert.Contains("received SIGTERM, shutting down", run.Stderr);
        }
        else Assert.Contains("shutdown requested through the control socket", run.Stderr);
        Assert.Contains("web: stopped", run.Stderr);
    }

    /// <summary>
    /// failer's startsecs is long on purpose: it exits at once, and with startsecs=1 a loaded
    /// machine made the real supervisord see it alive a second before it saw the exit
    /// (STARTING, RUNNING, EXITED), which is not the sequence being compared.
    /// </summary>
    static string SideBySide(string dir) => $"""
        [program:web]
        command=sh -c 'exec sleep 1000'
        priority=10
        startsecs=1

        [program:failer]
        command=sh -c 'exit 3'
        priority=20
        startsecs=10
        startretries=2

        [eventlistener:recorder]
        command={Python} {dir}/listener.py {dir}/events
        events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE
        """;

    /// <summary>The events the recorder got until failer was FATAL and web RUNNING: pids as N, in order, the listener's own left out.</summary>
    static List<string> Record(Func<string, Run> start)
    {
        var conf = Setup(Recorder, SideBySide);
        var events = Path.Combine(Path.GetDirectoryName(conf)!, "events");
        using var run = start(conf);
        string[] Lines() => File.Exists(events) ? File.ReadAllLines(events) : [];
        Wait.Until(() => Lines().Any(l => l.StartsWith("PROCESS_STATE_FATAL recorder processname:failer", StringComparison.Ordinal))
            && Lines().Any(l => l.StartsWith("PROCESS_STATE_RUNNING recorder processname:web", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "failer FATAL and web RUNNING");
        Native.Kill(run.Pid, Sig.TERM);
        run.WaitForExit();
        return [.. Lines().Where(l => !l.Contains("processname:recorder", StringComparison.Ordinal)).Select(l => Pid().Replace(l, "pid:N"))];
    }

    [Fact]
    public void The_same_listener_gets_the_same_events_from_supervisord_and_from_corral()
    {
        if (!HaveSupervisor || !File.Exists(Supervisord)) return;
        var real = Record(conf => Run.Start(Supervisord, ["-n", "-c", conf]));
        var corral = Record(conf => Run.Start(CorralBinary.Path, ["run", "-c", conf]));

        // Each process's own sequence, and the supervisor's, are the same (the two programs' events may interleave differently).
        foreach (var process in new[] { "web", "failer" })
        {
            var expected = real.Where(l => l.Contains($"processname:{process} ", StringComparison.Ordinal)).ToList();
            var actual = corral.Where(l => l.Contains($"processname:{process} ", StringComparison.Ordinal)).ToList();
            // Up to the end of the run being compared: what came after TERM (the stop) depends on when the listener itself was stopped.
            Assert.Equal(expected.TakeWhile(l => !l.StartsWith("PROCESS_STATE_STOPP", StringComparison.Ordinal)), actual.TakeWhile(l => !l.StartsWith("PROCESS_STATE_STOPP", StringComparison.Ordinal)));
        }
        Assert.Equal("SUPERVISOR_STATE_CHANGE_RUNNING recorder ", real[0]);
        Assert.Equal(real[0], corral[0]);
        Assert.Equal([
            "PROCESS_STATE_STARTING recorder processname:failer groupname:failer from_state:STOPPED tries:0",
            "PROCESS_STATE_BACKOFF recorder processname:failer groupname:failer from_state:STARTING tries:1",
            "PROCESS_STATE_STARTING recorder processname:failer groupname:failer from_state:BACKOFF tries:1",
            "PROCESS_STATE_BACKOFF recorder processname:failer groupname:failer from_state:STARTING tries:2",
            "PROCESS_STATE_STARTING recorder processname:failer groupname:failer from_state:BACKOFF tries:2",
            "PROCESS_STATE_BACKOFF recorder processname:failer groupname:failer from_state:STARTING tries:3",
            "PROCESS_STATE_FATAL recorder processname:failer groupname:failer from_state:BACKOFF",
        ], corral.Where(l => l.Contains("processname:failer ", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("PROCESS_STATE_STOPP", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ticks_and_process_log_events_reach_a_listener_and_supervisorctl_shows_it_running()
    {
        if (!HaveSupervisor) return;
        var conf = Setup(Recorder, dir => $"""
            [program:talker]
            command=sh -c 'echo hello from talker; echo oops >&2; exec sleep 1000'
            stdout_events_enabled=true
            stderr_events_enabled=true

            [eventlistener:recorder]
            command={Python} {dir}/listener.py {dir}/events
            events=TICK_5,PROCESS_LOG
            """);
        var events = Path.Combine(Path.GetDirectoryName(conf)!, "events");
        using var run = Run.Start(CorralBinary.Path, ["run", "-c", conf]);
        string[] Lines() => File.Exists(events) ? File.ReadAllLines(events) : [];
        // The three events in whatever order they came (a tick may fall before talker's lines are read).
        bool Has(string pattern) => Lines().Any(l => Regex.IsMatch(l, pattern));
        const string Stdout = @"^PROCESS_LOG_STDOUT recorder processname:talker groupname:talker pid:\d+ channel:stdout\|hello from talker\|$";
        const string Stderr = @"^PROCESS_LOG_STDERR recorder processname:talker groupname:talker pid:\d+ channel:stderr\|oops\|$";
        Wait.Until(() => Has("^TICK_5 recorder when:") && Has(Stdout) && Has(Stderr), TimeSpan.FromSeconds(30), "a TICK_5 and talker's two lines");
        var tick = Lines().First(l => l.StartsWith("TICK_5", StringComparison.Ordinal));
        Assert.Equal(0, long.Parse(tick["TICK_5 recorder when:".Length..]) % 5);
        if (File.Exists(Supervisorctl))
        {
            var status = Run.Exec(Supervisorctl, "-c", conf, "status");
            Assert.Matches(@"(?m)^recorder\s+RUNNING\s+pid \d+", status.Stdout);
        }
        Native.Kill(run.Pid, Sig.TERM);
        run.WaitForExit();
    }

    [GeneratedRegex(@"pid:\d+")]
    private static partial Regex Pid();
}
