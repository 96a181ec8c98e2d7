using Corral.Core.Model;
using Corral.Core.Supervision.Init;
using Corral.Os.Native;

namespace Corral.Compat;

/// <summary>dumb-init's messages: "[dumb-init] …" on stderr; with -v or DUMB_INIT_DEBUG its debug lines too.</summary>
public sealed class DumbInitVoice(InitSpec spec) : IInitVoice
{
    bool Debug => spec.Verbosity >= 3;

    public Utterance? Say(Report r) => Text(r) is { } text ? new Utterance(text) : null;

    string? Text(Report r)
    {
        switch (r.Note)
        {
            case InitNote.SpawnFailed:
                return Line($"{spec.Command[0]}: {Errno.Describe(r.Signal)}");
            case InitNote.ChildStarted:
                return Debug ? Line($"Child spawned with PID {r.Pid}.") + (spec.Grouping == ProcessGrouping.Inherit ? "" : Line("setsid complete.")) : null;
            case InitNote.ForwardedSignal or InitNote.DroppedSignal:
                if (!Debug) return null;
                var text = r.Arrived ? Line($"Received signal {r.Original}.") : "";
                if (spec.Rewrites.ContainsKey(r.Original)) text += Line($"Translating signal {r.Original} to {r.Signal}.");
                text += r.Note == InitNote.ForwardedSignal
                    ? Line($"Forwarded signal {r.Signal} to children.")
                    : Line($"Not forwarding signal {r.Signal} to children (ignored).");
                if (r.Arrived && r.Original is Signals.SIGTSTP or Signals.SIGTTIN or Signals.SIGTTOU && spec.JobControlStopsSelf)
                    text += Line("Suspending self due to TTY signal.");
                return text;
            case InitNote.ChildExited or InitNote.ReapedOrphan:
                if (!Debug) return null;
                return Line("Received signal 17.") + (r.Status.WasSignaled
                    ? Line($"A child with PID {r.Pid} was terminated by signal {r.Status.Signal}.")
                    : Line($"A child with PID {r.Pid} exited with exit status {r.Status.Code}."));
            case InitNote.IgnoredHandOff:
                return Debug ? Line($"Received signal {r.Signal}.") + Line($"Ignoring tty hand-off signal {r.Signal}.") : null;
            case InitNote.Exiting:
                return Debug ? Line($"Child exited with status {r.Code}. Goodbye.") : null;
            default:
                return null;
        }
    }

    public string Warn(string message) => Line(message);

    string? IInitVoice.Debug(string message) => Debug ? Line(message) : null;

    public string? NotAnInit() => null;

    static string Line(string message) => $"[dumb-init] {message}\n";
}
