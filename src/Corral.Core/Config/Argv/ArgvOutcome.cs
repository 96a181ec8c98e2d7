using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

/// <summary>What a command line asks for: run an init, or print something and exit.</summary>
public abstract record ArgvOutcome;

/// <param name="Notice">Text for stderr before anything starts (dumb-init's debug preamble).</param>
public sealed record RunInit(InitSpec Spec, string Notice = "") : ArgvOutcome;

public sealed record PrintAndExit(int Code, string Stdout = "", string Stderr = "") : ArgvOutcome;

/// <summary>For verbs with their own spec: either the spec to act on, or text to print and a code.</summary>
public sealed record ArgvOutcome<T>(T? Spec, PrintAndExit? Message) where T : class
{
    public static ArgvOutcome<T> Run(T spec) => new(spec, null);
    public static ArgvOutcome<T> Print(int code, string stdout = "", string stderr = "") => new(null, new PrintAndExit(code, stdout, stderr));
}
