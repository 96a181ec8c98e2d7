using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>
/// sys/socket.h: the tcp and http probes, the control listeners. The address structures these
/// calls take come from sys/un.h and netinet/in.h.
/// </summary>
public static unsafe partial class Socket
{
    public const int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    public const int SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_ERROR = 4;
    public const int EINPROGRESS = 115;
    public const int MSG_NOSIGNAL = 0x4000;

    [StructLayout(LayoutKind.Sequential)]
    public struct sockaddr_in { public ushort sin_family; public ushort sin_port; public uint sin_addr; public ulong sin_zero; }

    [StructLayout(LayoutKind.Sequential)]
    public struct sockaddr_in6 { public ushort sin6_family; public ushort sin6_port; public uint sin6_flowinfo; public fixed byte sin6_addr[16]; public uint sin6_scope_id; }

    [StructLayout(LayoutKind.Sequential)]
    public struct sockaddr_un { public ushort sun_family; public fixed byte sun_path[108]; }

    [LibraryImport(Libc.Name, EntryPoint = "bind", SetLastError = true)]
    public static partial int bind(int fd, void* addr, int addrlen);

    [LibraryImport(Libc.Name, EntryPoint = "listen", SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport(Libc.Name, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int optname, int* optval, int optlen);

    [LibraryImport(Libc.Name, EntryPoint = "socket", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Libc.Name, EntryPoint = "connect", SetLastError = true)]
    public static partial int connect(int fd, void* addr, int addrlen);

    [LibraryImport(Libc.Name, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int optname, int* optval, int* optlen);

    [LibraryImport(Libc.Name, EntryPoint = "send", SetLastError = true)]
    public static partial nint send(int fd, byte* buf, nint len, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "recv", SetLastError = true)]
    public static partial nint recv(int fd, byte* buf, nint len, int flags);

    /// <summary>Size of a buffer that holds any address <see cref="WriteAddress"/> writes.</summary>
    public const int AddressBufferSize = 28;

    /// <summary>
    /// Writes the sockaddr_in or sockaddr_in6 of address:port into <paramref name="into"/>
    /// (<see cref="AddressBufferSize"/> bytes); returns its length and its family (AF_INET or AF_INET6).
    /// </summary>
    public static (int Length, int Family) WriteAddress(System.Net.IPAddress address, int port, byte* into)
    {
        var portBE = (ushort)System.Net.IPAddress.HostToNetworkOrder((short)port);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            *(sockaddr_in*)into = new sockaddr_in { sin_family = AF_INET, sin_port = portBE, sin_addr = BitConverter.ToUInt32(bytes) };
            return (sizeof(sockaddr_in), AF_INET);
        }
        var sa = new sockaddr_in6 { sin6_family = AF_INET6, sin6_port = portBE, sin6_scope_id = (uint)address.ScopeId };
        for (var i = 0; i < 16; i++) sa.sin6_addr[i] = bytes[i];
        *(sockaddr_in6*)into = sa;
        return (sizeof(sockaddr_in6), AF_INET6);
    }
}
