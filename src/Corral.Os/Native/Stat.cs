using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>
/// sys/stat.h: lstat and fstat, for what kind of file a path is, who owns it, and which file a
/// descriptor is; umask. struct stat differs between the two architectures Corral ships for:
/// st_dev and st_ino come first in both, then x86-64 has a 64-bit st_nlink before st_mode and
/// st_uid, where arm64 (the kernel's generic layout) has st_mode, a 32-bit st_nlink, st_uid.
/// </summary>
public static unsafe partial class Stat
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFDIR = 0x4000, S_ISVTX = 0x200;
    /// <summary>Room for either layout (144 bytes on x86-64, 128 on arm64).</summary>
    const int Size = 256, DevOffset = 0, InoOffset = 8;
    static readonly (int Mode, int Uid) Offsets = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (24, 28),
        Architecture.Arm64 => (16, 24),
        var other => throw new PlatformNotSupportedException($"struct stat on {other}: Corral is built for x64 and arm64"),
    };
    static readonly int ModeOffset = Offsets.Mode, UidOffset = Offsets.Uid;

    [LibraryImport(Libc.Name, EntryPoint = "lstat", SetLastError = true)]
    private static partial int lstat(byte* path, byte* buf);

    [LibraryImport(Libc.Name, EntryPoint = "fstat", SetLastError = true)]
    private static partial int fstat(int fd, byte* buf);

    [LibraryImport(Libc.Name, EntryPoint = "umask")]
    public static partial uint umask(uint mask);

    /// <summary>(st_mode, st_uid) of the path itself (a symlink is not followed), or null when it cannot be read.</summary>
    public static (uint Mode, uint Uid)? Of(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        var buf = stackalloc byte[Size];
        fixed (byte* p = bytes)
        {
            if (lstat(p, buf) != 0) return null;
        }
        return (*(uint*)(buf + ModeOffset), *(uint*)(buf + UidOffset));
    }

    /// <summary>(st_dev, st_ino) of the file an open descriptor refers to, or null when it cannot be read.</summary>
    public static (ulong Device, ulong Inode)? Identity(int fd)
    {
        var buf = stackalloc byte[Size];
        if (fstat(fd, buf) != 0) return null;
        return (*(ulong*)(buf + DevOffset), *(ulong*)(buf + InoOffset));
    }
}
