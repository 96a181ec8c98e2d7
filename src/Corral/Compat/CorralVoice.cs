using Corral.Core.Model;
using Corral.Core.Supervision.Init;
using Corral.Os.Native;

namespace Corral.Compat;

/// <summary>Corral's own words: "corral: …" on stderr, quiet unless something is wrong or -v was given.</summary>
public sealed class CorralVoice(InitSpec spec) : IInitVoice
{
    public Utterance? Say(Report r) => Text(r) is { } text ? new Utterance(text) : null;

    string? Text(Report r) => r.Note switch
    {
        InitNote.SpawnFailed => Line($"cannot run '{spec.Command[0]}': {Errno.Describe(r.Signal)}"),
        InitNote.ChildStarted when spec.Verbosity >= 2 => Line($"started '{spec.Command[0]}' as pid {r.Pid}"),
        InitNote.ForwardedSignal when spec.Verbosity >= 3 => Line($"forwarded {Signals.NameOf(r.Signal)} to pid {r.Pid}{(spec.SignalGroup ? "'s group" : "")}"),
        InitNote.DroppedSignal when spec.Verbosity >= 3 => Line($"dropped {Signals.NameOf(r.Signal)}"),
        InitNote.ChildExited when spec.Verbosity >= 2 => Line($"'{spec.Command[0]}' (pid {r.Pid}) {r.Status}"),
        InitNote.ReapedOrphan when spec.WarnOnReap && spec.Verbosity >= 1 => Line($"warning: reaped orphan pid {r.Pid} ({r.Status})"),
        InitNote.ReapedOrphan when spec.Verbosity >= 4 => Line($"reaped orphan pid {r.Pid} ({r.Status})"),
        InitNote.SweepStarted when spec.Verbosity >= 2 => Line($"sending SIGTERM to the remaining processes, SIGKILL after {Durations.Format(spec.Grace ?? TimeSpan.Zero)}"),
        InitNote.SweepKilling when spec.Verbosity >= 1 => Line("grace period over: sending SIGKILL to the remaining processes"),
        InitNote.SweepDone when spec.Verbosity >= 2 => Line("all processes have exited"),
        _ => null,
    };

    public string Warn(string message) => spec.Verbosity >= 1 ? Line("warning: " + message) : "";

    public string? NotAnInit() => spec.Verbosity >= 1
        ? Line("warning: not PID 1 and not a child subreaper: orphaned processes will not be reaped by Corral (use -s or TINI_SUBREAPER)")
        : null;

    static string Line(string message) => $"corral: {message}\n";
}
