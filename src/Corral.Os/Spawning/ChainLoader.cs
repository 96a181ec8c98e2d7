using Corral.Core.Config;
using Corral.Core.Model;
using Corral.Os.Native;
using System.Runtime.InteropServices;
using Corral.Os.Spawning;

namespace Corral.Os.Spawning;

/// <summary>
/// Overview: applies an ExecSpec to this very process and then execs the command, so that the
/// command starts with exactly those settings and Corral's code is gone from memory. The order
/// matters: limits and the umask while still privileged; groups, then gid, then uid (after
/// setuid there is no going back); the parent-death signal after the identity change (the
/// kernel clears it when credentials change); SIGPIPE back to its default (NativeAOT ignores it,
/// and an ignored signal survives execve), then the signals and mask the spec asks for.
/// </summary>
public static unsafe class ChainLoader
{
    /// <summary>Returns only on failure, with a message; the caller reports it and exits.</summary>
    public static (int Errno, string Message) Exec(ExecSpec spec)
    {
        Identity? identity = null;
        if (spec.User is not null || spec.Group is not null)
        {
            identity = Accounts.Resolve(spec.User, spec.Group, out var error);
            if (identity is null) return (Errno.EINVAL, error);
        }

        foreach (var limit in spec.Limits)
        {
            var rl = new Resource.rlimit { rlim_cur = limit.Soft, rlim_max = limit.Hard };
            if (Resource.setrlimit(ResourceLimit.Names.IndexOf(limit.Resource), &rl) != 0)
                return Failed($"cannot set rlimit {limit.Resource}");
        }
        if (spec.Umask is { } mask) Stat.umask((uint)mask);

        if (identity is not null)
        {
            fixed (uint* groups = identity.Groups)
            {
                if (Grp.setgroups(identity.Groups.Length, groups) != 0) return Failed("cannot set supplementary groups");
            }
            if (Unistd.setgid(identity.Gid) != 0) return Failed($"cannot set gid {identity.Gid}");
            if (Unistd.setuid(identity.Uid) != 0) return Failed($"cannot set uid {identity.Uid}");
            
        }
        if (spec.ParentDeathSignal != 0 && Prctl.prctl(Prctl.PR_SET_PDEATHSIG, (ulong)spec.ParentDeathSignal, 0, 0, 0) != 0)
            return Failed("cannot set the parent-death signal");
        if (spec.NoNewPrivileges && Prctl.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            return Failed("cannot set no_new_privs");
        if (spec.WorkingDirectory is { } dir)
        {
            var path = NativeStrings.Utf8(dir);
            var rc = Unistd.chdir(path);
            NativeMemory.Free(path);
            if (rc != 0) return Failed($"cannot change to directory '{dir}'");
        }

        // dumb-init's child takes the terminal; failing is not an error (there may be none).
        if (spec.TakeControllingTerminal && Ioctl.ioctl(Unistd.STDIN_FILENO, Ioctl.TIOCSCTTY, 0) != 0 && spec.ReportTerminal)
        {
            var e = Errno.Last;
            Logging.StdIo.Err($"[dumb-init] Unable to attach to controlling tty (errno={e} {Errno.Describe(e)}).\n");
        }

        using var argv = new NativeStrings(spec.Command);
        using var env = new NativeStrings(spec.Environment is { } given ? [.. given] : CurrentEnvironment(identity is not null && spec.User is not null ? identity.Home : null));
        // Signals last, next to the exec: from here on a fault in Corral's own code could be ignored.
        Signal.signal(13 /* SIGPIPE */, Signal.SIG_DFL);
        foreach (var sig in spec.IgnoreSignals) Signal.signal(sig, Signal.SIG_IGN);
        Signal.sigset_t blocked;
        Signal.sigemptyset(&blocked);
        foreach (var sig in spec.BlockSignals) Signal.sigaddset(&blocked, sig);
        Signal.pthread_sigmask(Signal.SIG_SETMASK, &blocked, null);
        Unistd.execvpe(argv[0], argv.Pointer, env.Pointer);
        var errno = Errno.Last;
        return (errno, $"cannot run '{spec.Command[0]}': {Errno.Describe(errno)}");

        (int, string) Failed(string what)
        {
            var e = Errno.Last;
            return (e, $"{what}: {Errno.Describe(e)}");
        }
    }

    /// <summary>The environment to pass on: Corral's own, with HOME replaced when the user changed.</summary>
    static List<string> CurrentEnvironment(string? home)
    {
        var list = Pid1.ProcessEnvironment.Snapshot();
        if (home is null) return list;
        list.RemoveAll(entry => entry.StartsWith("HOME=", StringComparison.Ordinal));
        list.Add("HOME=" + home);
        return list;
    }

    /// <summary>Writes errno to the report descriptor, for a supervisor waiting on the other end.</summary>
    public static void Report(int fd, int errno)
    {
        var value = errno;
        Unistd.write(fd, (byte*)&value, sizeof(int));
    }
}
