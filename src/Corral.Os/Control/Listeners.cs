using System.Net;
using Corral.Os.Native;
using NativeSocket = Corral.Os.Native.Socket;

namespace Corral.Os.Control;

/// <summary>
/// The control server's listening sockets, made by Corral itself so that nobody talking to it
/// costs nothing: the socket is bound and listening from the start, Corral waits for the first
/// connection with poll(2) (no thread pool, no timer), and only then hands a duplicate of the
/// descriptor to the HTTP server, which accepts the waiting connection as usual.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static unsafe class Listeners
{
    const int Backlog = 128;

    /// <summary>
    /// A Unix stream socket listening at <paramref name="path"/>, mode 0600, in a directory made
    /// 0700 if Corral creates it. A stale socket file (nobody listening) is replaced; a live one
    /// (another Corral) is an error. Returns the fd, or -1 and the reason.
    /// </summary>
    public static (int Fd, string? Error) Unix(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108) return (-1, $"socket path too long ({bytes.Length} bytes, at most 107): {path}");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        try
        {
            if (!Directory.Exists(dir))
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (-1, $"cannot create its directory {dir} ({Logging.Problems.Describe(e)})");
        }
        // The directory must be the owner's alone (or sticky, like /tmp): otherwise someone else
        // could swap the socket for their own between bind and rename.
        if (Stat.Of(dir) is { } d)
        {
            if ((d.Mode & Stat.S_IFMT) != Stat.S_IFDIR) return (-1, $"{dir} is not a directory");
            if (d.Uid != Unistd.getuid() && d.Uid != 0) return (-1, $"{dir} belongs to another user (uid {d.Uid})");
            if ((d.Mode & 0x12) != 0 && (d.Mode & Stat.S_ISVTX) == 0) return (-1, $"{dir} is writable by others: choose a private directory for the control socket");
        }
        if (Stat.Of(path) is { } existing)
        {
            // Only a socket is ever replaced: a typo in control.socket must not delete a file.
            if ((existing.Mode & Stat.S_IFMT) != Stat.S_IFSOCK) return (-1, $"{path} exists and is not a socket");
            if (IsLive(path)) return (-1, $"{path}: another process is listening there (is another Corral running?)");
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (-1, $"cannot replace {path} ({Logging.Problems.Describe(e)})"); }
        }
        // Bound under a temporary name and renamed once listening: whoever sees the socket file
        // can connect at once (a client between bind and listen would be refused).
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var tempBytes = System.Text.Encoding.UTF8.GetBytes(temp);
        if (tempBytes.Length >= 108) { temp = path; tempBytes = bytes; }
        var fd = NativeSocket.socket(NativeSocket.AF_UNIX, NativeSocket.SOCK_STREAM | NativeSocket.SOCK_CLOEXEC, 0);
        if (fd < 0) return (-1, $"socket: {Errno.Describe(Errno.Last)}");
        if (Stat.Of(temp) is { } stale && (stale.Mode & Stat.S_IFMT) == Stat.S_IFSOCK)
        {
            try { File.Delete(temp); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        var sa = Address(tempBytes);
        // Bind under a umask that leaves the socket 0600 from its first moment (before any service
        // is spawned, so no child can inherit the passing umask); no chmod by path afterwards.
        var old = Stat.umask(0x7F) /* 0177 */;
        var rc = NativeSocket.bind(fd, &sa, sizeof(NativeSocket.sockaddr_un));
        var errno = Errno.Last;
        Stat.umask(old);
        if (rc != 0) return Fail(fd, $"bind {temp}", errno);
        if (NativeSocket.listen(fd, Backlog) != 0) return Fail(fd, $"listen {temp}", Errno.Last);
        if (temp != path)
        {
            try { File.Move(temp, path, overwrite: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Unistd.close(fd);
                return (-1, $"cannot rename {temp} to {path} ({Logging.Problems.Describe(e)})");
            }
        }
        return (fd, null);
    }

    /// <summary>A TCP socket listening on host:port (an IP literal, "*" for all addresses, or "localhost").</summary>
    public static (int Fd, string? Error) Tcp(string host, int port)
    {
        IPAddress address;
        if (host is "*" or "") address = IPAddress.IPv6Any;
        else if (host == "localhost") address = IPAddress.Loopback;
        else if (!IPAddress.TryParse(host, out address!)) return (-1, $"'{host}' is not an IP address");
        var family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET;
        var fd = NativeSocket.socket(family, NativeSocket.SOCK_STREAM | NativeSocket.SOCK_CLOEXEC, 0);
        if (fd < 0) return (-1, $"socket: {Errno.Describe(Errno.Last)}");
        var one = 1;
        NativeSocket.setsockopt(fd, NativeSocket.SOL_SOCKET, NativeSocket.SO_REUSEADDR, &one, sizeof(int));
        var sa = stackalloc byte[NativeSocket.AddressBufferSize];
        var (length, _) = NativeSocket.WriteAddress(address, port, sa);
        var rc = NativeSocket.bind(fd, sa, length);
        if (rc != 0) return Fail(fd, $"bind {host}:{port}", Errno.Last);
        if (NativeSocket.listen(fd, Backlog) != 0) return Fail(fd, $"listen {host}:{port}", Errno.Last);
        return (fd, null);
    }

    /// <summary>
    /// Blocks until one of <paramref name="fds"/> has a connection waiting (1), or <paramref name="wakeFd"/>
    /// becomes readable (0); -errno when poll fails. No timeout: it costs nothing while idle.
    /// </summary>
    public static int WaitForConnection(IReadOnlyList<int> fds, int wakeFd)
    {
        var set = new Poll.pollfd[fds.Count + 1];
        set[0] = new Poll.pollfd { fd = wakeFd, events = Poll.POLLIN };
        for (var i = 0; i < fds.Count; i++) set[i + 1] = new Poll.pollfd { fd = fds[i], events = Poll.POLLIN };
        while (true)
        {
            int ready;
            fixed (Poll.pollfd* p = set) ready = Poll.poll(p, (ulong)set.Length, -1);
            if (ready < 0 && Errno.Last == Errno.EINTR) continue;
            if (ready < 0) return -Errno.Last;
            return set[0].revents != 0 ? 0 : 1;
        }
    }

    /// <summary>Whether something accepts connections at a Unix socket path.</summary>
    static bool IsLive(string path)
    {
        var fd = NativeSocket.socket(NativeSocket.AF_UNIX, NativeSocket.SOCK_STREAM | NativeSocket.SOCK_CLOEXEC, 0);
        if (fd < 0) return false;
        var sa = Address(System.Text.Encoding.UTF8.GetBytes(path));
        var live = NativeSocket.connect(fd, &sa, sizeof(NativeSocket.sockaddr_un)) == 0;
        Unistd.close(fd);
        return live;
    }

    static NativeSocket.sockaddr_un Address(byte[] path)
    {
        var sa = new NativeSocket.sockaddr_un { sun_family = NativeSocket.AF_UNIX };
        for (var i = 0; i < path.Length; i++) sa.sun_path[i] = path[i];
        return sa;
    }

    static (int, string) Fail(int fd, string what, int errno)
    {
        Unistd.close(fd);
        return (-1, $"{what}: {Errno.Describe(errno)}");
    }
}
