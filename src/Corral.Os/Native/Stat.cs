using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>sys/stat.h: lstat, for what kind of file a path is and who owns it (x86-64 layout); umask.</summary>
public static unsafe partial class Stat
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFDIR = 0x4000, S_ISVTX = 0x200;
    const int Size = 144, ModeOffset = 24, UidOffset = 28;

    [LibraryImport(Libc.Name, EntryPoint = "lstat", SetLastError = true)]
    private static partial int lstat(byte* path, byte* buf);

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
}
