using System.Net;
using System.Net.Sockets;
using System.Text;
using Corral.Core.Config;
using Corral.Os.Native;
using NativeSocket = Corral.Os.Native.Socket;

namespace Corral.Os.Probes;

/// <summary>
/// tcp and http probes, synchronous and bounded by a timeout, for a short-lived thread of their
/// own. They use socket(2), connect(2) and poll(2) directly: the runtime's sockets hand their
/// work to the thread pool, whose spinning workers would wake Corral hundreds of times a second
/// for a probe a second. http is a plain HTTP/1.1 GET with "Connection: close": a status of
/// 200–399 passes, as in Kubernetes.
/// </summary>
public static unsafe class NetworkProbes
{
    public static (bool Success, string? Detail) Tcp(string host, int port, TimeSpan timeout)
    {
        var fd = Connect(host, port, Deadline(timeout), timeout, out var error);
        if (fd < 0) return (false, error);
        Unistd.close(fd);
        return (true, null);
    }

    public static (bool Success, string? Detail) Http(string host, int port, string path, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout)
    {
        var deadline = Deadline(timeout);
        var fd = Connect(host, port, deadline, timeout, out var error);
        if (fd < 0) return (false, error);
        try
        {
            var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: corral-probe\r\nAccept: */*\r\nConnection: close\r\n");
            foreach (var (k, v) in headers) request.Append(k).Append(": ").Append(v).Append("\r\n");
            request.Append("\r\n");
            var bytes = Encoding.ASCII.GetBytes(request.ToString());
            var sent = 0;
            while (sent < bytes.Length)
            {
                if (!Wait(fd, Poll.POLLOUT, deadline)) return (false, TooSlow(path, timeout));
                nint n;
                fixed (byte* b = bytes) n = NativeSocket.send(fd, b + sent, bytes.Length - sent, NativeSocket.MSG_NOSIGNAL);
                if (n < 0 && Errno.Last is Errno.EAGAIN or Errno.EINTR) continue;
                if (n <= 0) return (false, $"GET {path}: {Errno.Describe(Errno.Last)}");
                sent += (int)n;
            }
            // Only the status line matters: "HTTP/1.1 200 OK".
            var buffer = new byte[512];
            var length = 0;
            while (length < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
            {
                if (!Wait(fd, Poll.POLLIN, deadline)) return (false, TooSlow(path, timeout));
                nint n;
                fixed (byte* b = buffer) n = NativeSocket.recv(fd, b + length, buffer.Length - length, 0);
                if (n < 0 && Errno.Last is Errno.EAGAIN or Errno.EINTR) continue;
                if (n <= 0) break;
                length += (int)n;
            }
            var parts = Encoding.ASCII.GetString(buffer, 0, length).Split('\n')[0].Trim().Split(' ');
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out var code))
                return (false, $"not an HTTP answer from {host}:{port}");
            return code is >= 200 and < 400 ? (true, null) : (false, $"GET {path} answered {code}");
        }
        finally
        {
            Unistd.close(fd);
        }
    }

    static string TooSlow(string path, TimeSpan timeout) => $"GET {path} took longer than {timeout.TotalMilliseconds:0}ms";

    static TimeSpan Deadline(TimeSpan timeout) => MonotonicClock.System.Now + timeout;

    /// <summary>poll(2) for events until the deadline; false when it passed first.</summary>
    static bool Wait(int fd, short events, TimeSpan deadline)
    {
        while (true)
        {
            var left = (long)(deadline - MonotonicClock.System.Now).TotalMilliseconds;
            if (left <= 0) return false;
            var p = new Poll.pollfd { fd = fd, events = events };
            var rc = Poll.poll(&p, 1, (int)Math.Min(left, int.MaxValue));
            if (rc > 0) return true;
            if (rc == 0) return false;
            if (Errno.Last != Errno.EINTR) return false;
        }
    }

    /// <summary>
    /// A connected, non-blocking socket descriptor, or -1 and why. Every address the name
    /// resolves to is tried in turn ("localhost" may be ::1 first for an IPv4-only server).
    /// </summary>
    static int Connect(string host, int port, TimeSpan deadline, TimeSpan timeout, out string? error)
    {
        error = null;
        // /etc/hosts only: DNS would need glibc's NSS modules, which a static executable cannot load.
        var addresses = HostsFile.Resolve(host, IPAddress.TryParse(host, out _) ? null : EtcFiles.Hosts);
        if (addresses.Length == 0)
        {
            error = $"cannot resolve {host} (not an IP address, not in /etc/hosts; Corral does not use DNS)";
            return -1;
        }
        foreach (var address in addresses)
        {
            var fd = ConnectTo(address, host, port, deadline, timeout, out error);
            if (fd >= 0 || MonotonicClock.System.Now >= deadline) return fd;
        }
        return -1;
    }

    static int ConnectTo(IPAddress address, string host, int port, TimeSpan deadline, TimeSpan timeout, out string? error)
    {
        error = null;
        var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET;
        var fd = NativeSocket.socket(family, NativeSocket.SOCK_STREAM | NativeSocket.SOCK_NONBLOCK | NativeSocket.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            error = $"socket: {Errno.Describe(Errno.Last)}";
            return -1;
        }
        var sa = stackalloc byte[NativeSocket.AddressBufferSize];
        var (length, _) = NativeSocket.WriteAddress(address, port, sa);
        var rc = NativeSocket.connect(fd, sa, length);
        if (rc != 0 && Errno.Last != NativeSocket.EINPROGRESS)
        {
            error = $"{host}:{port}: {Errno.Describe(Errno.Last)}";
            Unistd.close(fd);
            return -1;
        }
        if (rc != 0)
        {
            if (!Wait(fd, Poll.POLLOUT, deadline))
            {
                error = $"no connection to {host}:{port} within {timeout.TotalMilliseconds:0}ms";
                Unistd.close(fd);
                return -1;
            }
            int status = 0, size = sizeof(int);
            NativeSocket.getsockopt(fd, NativeSocket.SOL_SOCKET, NativeSocket.SO_ERROR, &status, &size);
            if (status != 0)
            {
                error = $"{host}:{port}: {Errno.Describe(status)}";
                Unistd.close(fd);
                return -1;
            }
        }
        return fd;
    }
}
