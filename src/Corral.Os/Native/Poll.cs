using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>poll.h</summary>
public static unsafe partial class Poll
{
    public const short POLLIN = 0x001, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010, POLLNVAL = 0x020;

    [StructLayout(LayoutKind.Sequential)]
    public struct pollfd { public int fd; public short events; public short revents; }

    [LibraryImport(Libc.Name, EntryPoint = "poll", SetLastError = true)]
    public static partial int poll(pollfd* fds, ulong nfds, int timeout);
}
