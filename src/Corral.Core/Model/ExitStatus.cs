namespace Corral.Core.Model;

/// <summary>How a process ended: exited with a code, or killed by a signal.</summary>
public readonly record struct ExitStatus(int Code, int Signal)
{
    public static ExitStatus Exited(int code) => new(code & 0xff, 0);
    public static ExitStatus Signaled(int signal) => new(0, signal);

    public bool WasSignaled => Signal != 0;

    /// <summary>The code a shell would report: the exit code, or 128+N for signal N.</summary>
    public int ShellCode => WasSignaled ? (128 + Signal) & 0xff : Code;

    public override string ToString() =>
        WasSignaled ? $"killed by {Signals.NameOf(Signal)}" : $"exited with code {Code}";
}
