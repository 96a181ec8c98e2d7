using System.Net.Sockets;
using System.Text;

namespace Corral.Os.Probes;

/// <summary>
/// tcp and http probes, asynchronous, bounded by a timeout. http is a plain HTTP/1.1 GET with
/// "Connection: close": success is a status of 200–399, as in Kubernetes.
/// </summary>
public static class NetworkProbes
{
    public static async Task<(bool Success, string? Detail)> Tcp(string host, int port, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            return (true, null);
        }
        catch (OperationCanceledException) { return (false, $"no connection to {host}:{port} within {timeout.TotalMilliseconds:0}ms"); }
        catch (SocketException e) { return (false, $"{host}:{port}: {e.Message}"); }
    }

    public static async Task<(bool Success, string? Detail)> Http(string host, int port, string path, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: corral-probe\r\nAccept: */*\r\nConnection: close\r\n");
            foreach (var (k, v) in headers) request.Append(k).Append(": ").Append(v).Append("\r\n");
            request.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cts.Token).ConfigureAwait(false);
            // Only the status line matters: "HTTP/1.1 200 OK".
            var buffer = new byte[512];
            var length = 0;
            while (length < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(length), cts.Token).ConfigureAwait(false);
                if (n == 0) break;
                length += n;
                if (Array.IndexOf(buffer, (byte)'\n', 0, length) >= 0) break;
            }
            var statusLine = Encoding.ASCII.GetString(buffer, 0, length).Split('\n')[0].Trim();
            var parts = statusLine.Split(' ');
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out var code))
                return (false, $"not an HTTP answer from {host}:{port}");
            return code is >= 200 and < 400 ? (true, null) : (false, $"GET {path} answered {code}");
        }
        catch (OperationCanceledException) { return (false, $"GET {path} took longer than {timeout.TotalMilliseconds:0}ms"); }
        catch (Exception e) when (e is SocketException or IOException) { return (false, $"GET {path}: {e.Message}"); }
    }
}
