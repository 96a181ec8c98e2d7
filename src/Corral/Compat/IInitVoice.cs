using Corral.Core.Supervision.Init;

namespace Corral.Compat;

/// <summary>
/// How a personality speaks: the words and levels of its messages. Corral, tini and dumb-init
/// each print what their users' scripts and eyes expect.
/// </summary>
public interface IInitVoice
{
    /// <summary>The line to print on stderr for a report (with newline), or null to stay silent.</summary>
    string? Say(Report report);

    /// <summary>A warning or error that happens outside the automaton (start-up).</summary>
    string Warn(string message);

    string Fatal(string message);

    /// <summary>What to say just before the child is spawned, or null.</summary>
    string? Starting() => null;

    /// <summary>The warning for an init that is neither PID 1 nor a subreaper, or null.</summary>
    string? NotAnInit();
}
