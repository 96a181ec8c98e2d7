using Corral.Core.Model;
using Corral.Core.Supervision.Init;
using Corral.Os.Native;
using Corral.Os.Pid1;
using Corral.Os.Signals;

namespace Corral.Compat;

/// <summary>
/// tini's log lines: "[LEVEL tini (PID)] message" on stderr, FATAL and WARN at the default
/// verbosity 1, INFO from 2, DEBUG from 3, TRACE from 4.
/// </summary>
public sealed class TiniVoice(InitSpec spec) : IInitVoice
{
    readonly int pid = ProcessIdentity.Pid;

    public Utterance? Say(Report r) => Text(r) is { } text
        ? new Utterance(text, ToStdout: !(text.StartsWith("[FATAL", StringComparison.Ordinal) || text.StartsWith("[WARN", StringComparison.Ordinal)))
        : null;

    string? Text(Report r) => r.Note switch
    {
        InitNote.SpawnFailed => Line(0, "FATAL", $"exec {spec.Command[0]} failed: {Errno.Describe(r.Signal)}"),
        InitNote.ChildStarted => Line(2, "INFO ", $"Spawned child process '{spec.Command[0]}' with pid '{r.Pid}'"),
        InitNote.ForwardedSignal => Line(3, "DEBUG", $"Passing signal: '{SignalText.Describe(r.Signal)}'"),
        InitNote.ChildExited => ChildExited(r),
        InitNote.ReapedOrphan => spec.WarnOnReap
            ? Line(1, "WARN ", $"Reaped zombie process with pid={r.Pid}")
            : Reaped(r.Pid),
        InitNote.SweepStarted => Line(2, "INFO ", "Sending SIGTERM to remaining processes"),
        InitNote.SweepKilling => Line(1, "WARN ", "Grace period expired: sending SIGKILL to remaining processes"),
        InitNote.SweepDone => Line(4, "TRACE", "No process left"),
        _ => null,
    };

    string? ChildExited(Report r)
    {
        var reaped = Reaped(r.Pid);
        var how = r.Status.WasSignaled
            ? Line(2, "INFO ", $"Main child exited with signal (with signal '{SignalText.Describe(r.Status.Signal)}')")
            : Line(2, "INFO ", $"Main child exited normally (with status '{r.Status.Code}')");
        var text = reaped + how;
        return text.Length == 0 ? null : text;
    }

    // tini learns of exits from SIGCHLD; Corral's reaper learns directly, but says it the same way.
    string? Reaped(int child) =>
        Line(3, "DEBUG", "Received SIGCHLD") + Line(3, "DEBUG", $"Reaped child with pid: '{child}'");

    public string Warn(string message) => Line(1, "WARN ", message) ?? "";

    public string? NotAnInit() => Line(1, "WARN ",
        "Tini is not running as PID 1 and isn't registered as a child subreaper.\n" +
        "Zombie processes will not be re-parented to Tini, so zombie reaping won't work.\n" +
        "To fix the problem, use the -s option or set the environment variable TINI_SUBREAPER to register Tini as a child subreaper, or run Tini as PID 1.");

    // FATAL prints at every verbosity, WARN from 1, INFO from 2, DEBUG from 3, TRACE from 4.
    string? Line(int level, string label, string message) =>
        spec.Verbosity >= level ? $"[{label} tini ({pid})] {message}\n" : null;
}
