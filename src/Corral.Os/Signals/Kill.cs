using Corral.Os.Native;

namespace Corral.Os.Signals;

/// <summary>Sending signals: kill(2) with its result turned into a value.</summary>
public static class Kill
{
    /// <summary>Signals one process. Returns 0 or the errno (ESRCH when it is gone).</summary>
    public static int Process(int pid, int signal) =>
        Signal.kill(pid, signal) == 0 ? 0 : Errno.Last;

    /// <summary>The process group of pid, or -1 when it is gone.</summary>
    public static int GroupOf(int pid) => Unistd.getpgid(pid);

    /// <summary>Signals every process in a process group.</summary>
    public static int Group(int pgid, int signal) =>
        Signal.kill(-pgid, signal) == 0 ? 0 : Errno.Last;

    /// <summary>
    /// Signals every process Corral may signal except itself: kill(-1). Only safe as PID 1 in
    /// a PID namespace, where "every process" is the container.
    /// </summary>
    public static int Everyone(int signal) =>
        Signal.kill(-1, signal) == 0 ? 0 : Errno.Last;

    /// <summary>
    /// The last step of a shutdown: signals every process left under Corral, as PID 1 every
    /// other process in the namespace, otherwise every descendant (found in /proc). With no
    /// child at all there is nothing to find (an orphan would have been re-parented to Corral,
    /// a subreaper), so the /proc scan, which costs milliseconds, is skipped.
    /// </summary>
    public static void Remaining(int signal)
    {
        if (!Reaping.Reaper.HasChildren()) return;
        if (Pid1.ProcessIdentity.IsPid1)
        {
            Everyone(signal);
            return;
        }
        foreach (var pid in Pid1.ProcessTable.Descendants(Pid1.ProcessIdentity.Pid)) Process(pid, signal);
    }
}
