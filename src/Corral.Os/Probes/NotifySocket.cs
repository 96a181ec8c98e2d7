using System.Net.Sockets;
using System.Text;

namespace Corral.Os.Probes;

/// <summary>
/// systemd's notification protocol: a datagram Unix socket a service finds in $NOTIFY_SOCKET
/// and sends "READY=1", "STATUS=…", "WATCHDOG=1" … to, one assignment per line. One socket per
/// service, so a message needs no sender credentials to be attributed.
/// </summary>
public sealed class NotifySocket : IDisposable
{
    readonly Socket socket;

    public string Path { get; }

    NotifySocket(Socket socket, string path)
    {
        this.socket = socket;
        Path = path;
    }

    /// <summary>Binds a socket at path (replacing a stale one); null and the reason when it cannot.</summary>
    public static NotifySocket? Bind(string path, out string? error)
    {
        error = null;
        try
        {
            if (File.Exists(path)) File.Delete(path);
            var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            s.Bind(new UnixDomainSocketEndPoint(path));
            return new NotifySocket(s, path);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error = $"cannot create the notification socket {path}: {(e is SocketException s ? s.SocketErrorCode.ToString() : Logging.Problems.Describe(e))}";
            return null;
        }
    }

    /// <summary>The descriptor to poll and read; datagrams are read whole with read(2).</summary>
    public int Fd => (int)socket.SafeHandle.DangerousGetHandle();

    /// <summary>"READY=1\nSTATUS=Listening" → (READY, 1), (STATUS, Listening).</summary>
    public static IEnumerable<(string Key, string Value)> Parse(ReadOnlySpan<byte> datagram)
    {
        var list = new List<(string, string)>();
        foreach (var line in Encoding.UTF8.GetString(datagram).Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0) list.Add((line[..eq], line[(eq + 1)..]));
        }
        return list;
    }

    public void Dispose()
    {
        socket.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }
}
