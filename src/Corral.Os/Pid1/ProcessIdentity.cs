using Corral.Os.Native;

namespace Corral.Os.Pid1;

/// <summary>Who Corral is in the process tree: PID 1, subreaper, terminal owner.</summary>
public static unsafe class ProcessIdentity
{
    public static int Pid => Unistd.getpid();

    public static bool IsPid1 => Unistd.getpid() == 1;

    /// <summary>Become the reaper of orphaned descendants (Linux ≥ 3.4). Returns 0 or errno.</summary>
    public static int RegisterSubreaper() =>
        Prctl.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : Errno.Last;

    public static bool IsSubreaper
    {
        get
        {
            int value = 0;
            return Prctl.prctl(Prctl.PR_GET_CHILD_SUBREAPER, &value, 0, 0, 0) == 0 && value != 0;
        }
    }

    /// <summary>Ask the kernel to send Corral a signal when its parent dies. Returns 0 or errno.</summary>
    public static int SetParentDeathSignal(int signal) =>
        Prctl.prctl(Prctl.PR_SET_PDEATHSIG, (ulong)signal, 0, 0, 0) == 0 ? 0 : Errno.Last;

    /// <summary>Forbid gaining privileges through execve (setuid binaries, file capabilities).</summary>
    public static int SetNoNewPrivileges() =>
        Prctl.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : Errno.Last;

    public static bool StdinIsTerminal => Unistd.isatty(Unistd.STDIN_FILENO) == 1;

    /// <summary>Lets go of the controlling terminal on stdin (TIOCNOTTY). Returns 0 or errno.</summary>
    public static int DetachTerminal() =>
        Ioctl.ioctl(Unistd.STDIN_FILENO, Ioctl.TIOCNOTTY, 0) == 0 ? 0 : Errno.Last;

    /// <summary>Makes the terminal on stdin this session's controlling terminal (TIOCSCTTY). Returns 0 or errno.</summary>
    public static int AttachTerminal() =>
        Ioctl.ioctl(Unistd.STDIN_FILENO, Ioctl.TIOCSCTTY, 0) == 0 ? 0 : Errno.Last;

    public static bool IsSessionLeader => Unistd.getsid(0) == Unistd.getpid();

    /// <summary>Gives the terminal on stdin to a process group. Returns 0 or errno.</summary>
    public static int SetForegroundGroup(int pgid) =>
        Unistd.tcsetpgrp(Unistd.STDIN_FILENO, pgid) == 0 ? 0 : Errno.Last;
}
