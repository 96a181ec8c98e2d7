using Corral.Os.Native;

namespace Corral.Os.Signals;

/// <summary>Sleeping until a signal arrives, without a timer: pause(2).</summary>
public static class Pause
{
    /// <summary>Returns after a signal handler has run (a signal without one ends the process).</summary>
    public static void UntilSignal() => Unistd.pause();
}
