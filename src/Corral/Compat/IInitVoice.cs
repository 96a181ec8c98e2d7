using Corral.Core.Supervision.Init;

namespace Corral.Compat;

/// <summary>A message and the stream it belongs on (tini prints INFO and below on stdout).</summary>
public sealed record Utterance(string Text, bool ToStdout = false);

/// <summary>
/// How a personality speaks: the words, levels and streams of its messages. Corral, tini and
/// dumb-init each print what their users' scripts and eyes expect.
/// </summary>
public interface IInitVoice
{
    /// <summary>What to print for a report, or null to stay silent.</summary>
    Utterance? Say(Report report);

    /// <summary>A warning or error that happens outside the automaton (start-up), for stderr.</summary>
    string Warn(string message);

    /// <summary>A debug line about start-up, or null when the verbosity hides it.</summary>
    string? Debug(string message) => null;

    /// <summary>The warning for an init that is neither PID 1 nor a subreaper, or null.</summary>
    string? NotAnInit();
}
