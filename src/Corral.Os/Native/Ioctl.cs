using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>sys/ioctl.h: the two terminal requests of dumb-init's hand-off.</summary>
public static partial class Ioctl
{
    public const ulong TIOCSCTTY = 0x540E, TIOCNOTTY = 0x5422;

    [LibraryImport(Libc.Name, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, nint arg);
}
