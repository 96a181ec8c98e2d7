using System.Runtime.InteropServices;
using Corral.Core.Model;
using Corral.Os.Native;

namespace Corral.Os.Spawning;

/// <summary>
/// Overview: children are started with posix_spawn, never fork, so that no managed code runs
/// between fork and exec. glibc runs the child on a vfork-like clone and reports an exec
/// failure as posix_spawn's return value (glibc then waits for the half-born child itself;
/// if the reaper wins that race, the exit is counted as an orphan's). The child gets an empty signal mask and every signal at
/// its default (NativeAOT ignores SIGPIPE, and an ignored signal survives execve), unless the
/// request keeps some blocked or ignored (tini's child).
/// </summary>
public static unsafe class Spawner
{
    public static SpawnResult Spawn(SpawnRequest request)
    {
        if (request.Argv.Count == 0) return new SpawnResult(0, Errno.ENOENT);
        var attr = NativeMemory.AllocZeroed(Native.Spawn.AttrSize);
        var actions = NativeMemory.AllocZeroed(Native.Spawn.FileActionsSize);
        using var argv = new NativeStrings(request.Argv);
        var env = request.Environment is null ? null : new NativeStrings(request.Environment);
        byte* dir = null, program = null;
        try
        {
            Native.Spawn.posix_spawnattr_init(attr);
            Native.Spawn.posix_spawn_file_actions_init(actions);

            short flags = Native.Spawn.POSIX_SPAWN_SETSIGMASK | Native.Spawn.POSIX_SPAWN_SETSIGDEF;
            switch (request.Grouping)
            {
                case ProcessGrouping.NewGroup:
                    flags |= Native.Spawn.POSIX_SPAWN_SETPGROUP;
                    Native.Spawn.posix_spawnattr_setpgroup(attr, 0);
                    break;
                case ProcessGrouping.NewSession:
                    flags |= Native.Spawn.POSIX_SPAWN_SETSID;
                    break;
            }
            Native.Spawn.posix_spawnattr_setflags(attr, flags);

            Signal.sigset_t mask, defaults;
            Signal.sigemptyset(&mask);
            Signal.sigemptyset(&defaults);
            foreach (var sig in request.BlockedSignals) Signal.sigaddset(&mask, sig);
            // Bits set by hand: sigfillset and sigaddset leave out glibc's own signals 32 and 33,
            // and glibc's posix_spawn (2.36) then sets those to SIG_IGN in the child, which
            // survives the exec. Every child would start with 32 and 33 ignored.
            defaults.val[0] = ulong.MaxValue;
            foreach (var sig in request.KeepIgnored) defaults.val[0] &= ~(1UL << (sig - 1));
            Native.Spawn.posix_spawnattr_setsigmask(attr, &mask);
            Native.Spawn.posix_spawnattr_setsigdefault(attr, &defaults);

            foreach (var (from, to) in request.FileDescriptors)
                Native.Spawn.posix_spawn_file_actions_adddup2(actions, from, to);
            if (request.WorkingDirectoryFd is { } wdFd)
                Native.Spawn.posix_spawn_file_actions_addfchdir_np(actions, wdFd);
            if (request.WorkingDirectory is { } wd)
            {
                dir = NativeStrings.Utf8(wd);
                Native.Spawn.posix_spawn_file_actions_addchdir_np(actions, dir);
            }
            // The child takes the terminal itself, after joining its new group and before exec,
            // so it never reads from a terminal it does not own (glibc blocks SIGTTOU meanwhile).
            if (request.TakeTerminal && request.Grouping == ProcessGrouping.NewGroup)
                Native.Spawn.posix_spawn_file_actions_addtcsetpgrp_np(actions, Unistd.STDIN_FILENO);

            var envp = env is null ? Environ.Current : env.Pointer;
            if (request.Program is not null) program = NativeStrings.Utf8(request.Program);
            var file = program != null ? program : argv[0];
            int pid;
            var rc = request.SearchPath
                ? Native.Spawn.posix_spawnp(out pid, file, actions, attr, argv.Pointer, envp)
                : Native.Spawn.posix_spawn(out pid, file, actions, attr, argv.Pointer, envp);
            return new SpawnResult(rc == 0 ? pid : 0, rc);
        }
        finally
        {
            Native.Spawn.posix_spawn_file_actions_destroy(actions);
            Native.Spawn.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            if (dir != null) NativeMemory.Free(dir);
            if (program != null) NativeMemory.Free(program);
            env?.Dispose();
        }
    }
}
