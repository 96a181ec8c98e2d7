using Corral.Core.Model;
using Corral.Os.Native;

namespace Corral.Os.Reaping;

/// <summary>
/// Overview: the one place in the process that waits for children. A dedicated thread blocks
/// in waitid(P_ALL, WEXITED) and reports every exit, of our own children and of orphans
/// re-parented to us, as it happens. Nothing else may wait: not the runtime's Process class, no
/// SIGCHLD handler. When there are no children at all, waitid fails with ECHILD; the thread
/// then reports that and sleeps until the next spawn wakes it (no polling).
/// </summary>
public sealed unsafe class Reaper
{
    readonly Action<int, ExitStatus> childExited;
    readonly Action noChildren;
    readonly AutoResetEvent mayHaveChildren = new(false);

    /// <param name="childExited">Called on the reaper thread with (pid, status).</param>
    /// <param name="noChildren">Called on the reaper thread whenever no child is left.</param>
    public Reaper(Action<int, ExitStatus> childExited, Action noChildren)
    {
        this.childExited = childExited;
        this.noChildren = noChildren;
    }

    public void Start()
    {
        var thread = new Thread(Run, 64 * 1024) { IsBackground = true, Name = "reaper" };
        thread.Start();
    }

    /// <summary>Whether Corral has any child at all, running or zombie, without reaping one.</summary>
    public static bool HasChildren()
    {
        Wait.siginfo_t info = default;
        return !(Wait.waitid(Wait.P_ALL, 0, &info, Wait.WEXITED | Wait.WNOHANG | Wait.WNOWAIT) != 0 && Errno.Last == Errno.ECHILD);
    }

    /// <summary>Call after every spawn: a reaper asleep on ECHILD has work again.</summary>
    public void ChildSpawned() => mayHaveChildren.Set();

    void Run()
    {
        while (true)
        {
            Wait.siginfo_t info = default;
            if (Wait.waitid(Wait.P_ALL, 0, &info, Wait.WEXITED) == 0)
            {
                if (info.si_pid == 0) continue;
                var status = info.si_code == Wait.CLD_EXITED
                    ? ExitStatus.Exited(info.si_status)
                    : ExitStatus.Signaled(info.si_status);
                childExited(info.si_pid, status);
                continue;
            }
            var errno = Errno.Last;
            if (errno == Errno.EINTR) continue;
            noChildren();
            mayHaveChildren.WaitOne();
        }
    }
}
