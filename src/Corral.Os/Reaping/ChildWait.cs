using Corral.Core.Model;
using Corral.Os.Native;

namespace Corral.Os.Reaping;

/// <summary>
/// Waits for one child of a small helper process (s6-notifyoncheck's checker and its checks):
/// never used in the supervisor, whose only reaper is <see cref="Reaper"/>.
/// </summary>
public static unsafe class ChildWait
{
    /// <summary>How the child ended; null when it is not a child of this process.</summary>
    public static ExitStatus? For(int pid)
    {
        Wait.siginfo_t info;
        while (Wait.waitid(Wait.P_PID, pid, &info, Wait.WEXITED) != 0)
            if (Errno.Last != Errno.EINTR) return null;
        return info.si_code == Wait.CLD_EXITED ? ExitStatus.Exited(info.si_status) : ExitStatus.Signaled(info.si_status);
    }
}
