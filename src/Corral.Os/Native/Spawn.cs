using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>spawn.h (glibc ≥ 2.35 for posix_spawn_file_actions_addtcsetpgrp_np).</summary>
public static unsafe partial class Spawn
{
    // glibc, x86-64 and arm64 alike: posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80; room to spare.
    public const int AttrSize = 512, FileActionsSize = 256;

    public const short POSIX_SPAWN_RESETIDS = 0x01, POSIX_SPAWN_SETPGROUP = 0x02,
        POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSCHEDPARAM = 0x10,
        POSIX_SPAWN_SETSCHEDULER = 0x20, POSIX_SPAWN_USEVFORK = 0x40, POSIX_SPAWN_SETSID = 0x80;

    // The posix_spawn family returns the error number instead of setting errno.
    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn")]
    public static partial int posix_spawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawnp")]
    public static partial int posix_spawnp(out int pid, byte* file, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_init")]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_setpgroup")]
    public static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int posix_spawnattr_setsigmask(void* attr, Signal.sigset_t* sigmask);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int posix_spawnattr_setsigdefault(void* attr, Signal.sigset_t* sigdefault);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int posix_spawn_file_actions_init(void* fa);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int posix_spawn_file_actions_destroy(void* fa);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int posix_spawn_file_actions_adddup2(void* fa, int fd, int newfd);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_addclose")]
    public static partial int posix_spawn_file_actions_addclose(void* fa, int fd);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fa, byte* path);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_addfchdir_np")]
    public static partial int posix_spawn_file_actions_addfchdir_np(void* fa, int fd);

    [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_addtcsetpgrp_np")]
    public static partial int posix_spawn_file_actions_addtcsetpgrp_np(void* fa, int tcfd);
}
