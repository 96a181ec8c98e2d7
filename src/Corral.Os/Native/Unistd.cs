using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>unistd.h: file descriptors, process identity, the terminal's foreground group, exec.</summary>
public static unsafe partial class Unistd
{
    public const int STDIN_FILENO = 0, STDOUT_FILENO = 1, STDERR_FILENO = 2;

    [LibraryImport(Libc.Name, EntryPoint = "pause")]
    public static partial int pause();

    [LibraryImport(Libc.Name, EntryPoint = "dup2", SetLastError = true)]
    public static partial int dup2(int oldfd, int newfd);

    [LibraryImport(Libc.Name, EntryPoint = "getpid")]
    public static partial int getpid();

    [LibraryImport(Libc.Name, EntryPoint = "getppid")]
    public static partial int getppid();

    [LibraryImport(Libc.Name, EntryPoint = "getpgrp")]
    public static partial int getpgrp();

    [LibraryImport(Libc.Name, EntryPoint = "getpgid", SetLastError = true)]
    public static partial int getpgid(int pid);

    [LibraryImport(Libc.Name, EntryPoint = "getsid", SetLastError = true)]
    public static partial int getsid(int pid);

    [LibraryImport(Libc.Name, EntryPoint = "getuid")]
    public static partial uint getuid();

    [LibraryImport(Libc.Name, EntryPoint = "isatty")]
    public static partial int isatty(int fd);

    [LibraryImport(Libc.Name, EntryPoint = "tcgetpgrp", SetLastError = true)]
    public static partial int tcgetpgrp(int fd);

    [LibraryImport(Libc.Name, EntryPoint = "tcsetpgrp", SetLastError = true)]
    public static partial int tcsetpgrp(int fd, int pgrp);

    [LibraryImport(Libc.Name, EntryPoint = "write", SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Libc.Name, EntryPoint = "read", SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    public const int SEEK_END = 2;

    [LibraryImport(Libc.Name, EntryPoint = "lseek", SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Libc.Name, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Libc.Name, EntryPoint = "close", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc.Name, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "execve", SetLastError = true)]
    public static partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Libc.Name, EntryPoint = "execvpe", SetLastError = true)]
    public static partial int execvpe(byte* file, byte** argv, byte** envp);

    [LibraryImport(Libc.Name, EntryPoint = "setuid", SetLastError = true)]
    public static partial int setuid(uint uid);

    [LibraryImport(Libc.Name, EntryPoint = "setgid", SetLastError = true)]
    public static partial int setgid(uint gid);

    [LibraryImport(Libc.Name, EntryPoint = "sync")]
    public static partial void sync();

    [LibraryImport(Libc.Name, EntryPoint = "chdir", SetLastError = true)]
    public static partial int chdir(byte* path);
}
