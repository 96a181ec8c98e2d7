using System.Net.Sockets;
using System.Text;
using Corral.Core.Compat.Supervisord;
using Corral.Os.Logging;
using Corral.Os.Signals;

namespace Corral.Compat;

/// <summary>
/// Overview: the supervisorctl personality's XML-RPC connection: POST /RPC2 over the Unix
/// socket (unix:///path) or TCP (http://host:port), with basic authentication as
/// supervisorctl sends it, to Corral or to a real supervisord. One request per connection
/// (HTTP/1.0: the server closes at the end); the body is read by Content-Length, chunks, or to
/// the close, whichever the server uses. tail -f streams a /logtail response to stdout until
/// it ends or SIGINT arrives (supervisorctl's Ctrl-C).
/// </summary>
public sealed class SupervisorctlConnection(CtlSettings settings) : ISupervisorRpc
{
    public object? Call(string method, params object?[] parameters)
    {
        var body = Encoding.UTF8.GetBytes(XmlRpcCodec.Call(method, parameters));
        using var socket = Connect();
        Send(socket, $"POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nUser-Agent: corral-supervisorctl\r\nContent-Type: text/xml\r\nAccept: text/xml\r\n{Authorization()}Content-Length: {body.Length}\r\n\r\n", body);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var (status, reason, headers, rest) = ReadHead(stream);
        var content = ReadBody(stream, headers, rest);
        if (status != 200) throw new RpcHttpError(status, reason);
        return XmlRpcCodec.ParseResponse(Encoding.UTF8.GetString(content));
    }

    public bool Follow(string path)
    {
        var interrupted = false;
        using var socket = Connect();
        using var intake = new SignalIntake(_ =>
        {
            interrupted = true;
            socket.Dispose();
        });
        intake.Register([2]);
        try
        {
            Send(socket, $"GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: chunked\r\n{Authorization()}\r\n", []);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var (status, _, headers, rest) = ReadHead(stream);
            if (status != 200)
            {
                StdIo.Err($"{settings.ServerUrl}{path} Cannot read, status code {status}\n");
                return false;
            }
            var chunked = headers.GetValueOrDefault("transfer-encoding")?.Equals("chunked", StringComparison.OrdinalIgnoreCase) == true;
            var input = new Reader(rest, stream);
            // A character may be split between two reads: one decoder carries it over.
            var decoder = Encoding.UTF8.GetDecoder();
            string Decode(byte[] data)
            {
                var chars = new char[decoder.GetCharCount(data, 0, data.Length)];
                decoder.GetChars(data, 0, data.Length, chars, 0);
                return new string(chars);
            }
            if (chunked)
            {
                while (input.Line() is { } sizeLine && int.TryParse(sizeLine.Split(';')[0].Trim(), System.Globalization.NumberStyles.HexNumber, null, out var size) && size > 0)
                {
                    StdIo.Out(Decode(input.Exactly(size)));
                    input.Line();
                }
            }
            else
            {
                while (input.Some() is { Length: > 0 } data) StdIo.Out(Decode(data));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Interrupted (the socket was closed under the read) or the server went away: the tail ends.
        }
        return interrupted;
    }

    string Authorization() => settings.Username is { } user
        ? $"Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{settings.Password}"))}\r\n"
        : "";

    bool UnixSocket => settings.ServerUrl.StartsWith("unix://", StringComparison.Ordinal);

    Socket Connect()
    {
        Socket? socket = null;
        try
        {
            if (UnixSocket)
            {
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.Connect(new UnixDomainSocketEndPoint(settings.ServerUrl[7..]));
            }
            else
            {
                var uri = new Uri(settings.ServerUrl);
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(uri.Host, uri.Port < 0 ? 80 : uri.Port);
            }
            return socket;
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            var errno = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => RpcConnectionError.Refused,
                SocketError.AddressNotAvailable when UnixSocket => RpcConnectionError.NoFile,
                _ => UnixSocket && !File.Exists(settings.ServerUrl[7..]) ? RpcConnectionError.NoFile : e.ErrorCode,
            };
            throw new RpcConnectionError(errno, e.Message, UnixSocket);
        }
        catch (UriFormatException e)
        {
            socket?.Dispose();
            throw new RpcConnectionError(-1, e.Message, false);
        }
    }

    void Send(Socket socket, string head, byte[] body)
    {
        try
        {
            socket.Send(Encoding.UTF8.GetBytes(head));
            if (body.Length > 0) socket.Send(body);
        }
        catch (SocketException e)
        {
            throw new RpcConnectionError(e.ErrorCode, e.Message, UnixSocket);
        }
    }

    static (int Status, string Reason, Dictionary<string, string> Headers, byte[] Remainder) ReadHead(Stream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            var data = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var end = data.IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var lines = Encoding.ASCII.GetString(data[..end]).Split("\r\n");
                var first = lines[0].Split(' ', 3);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var l in lines.Skip(1))
                    if (l.IndexOf(':') is var colon and > 0) headers[l[..colon].Trim()] = l[(colon + 1)..].Trim();
                var status = first.Length > 1 && int.TryParse(first[1], out var s) ? s : 0;
                return (status, first.Length > 2 ? first[2] : "", headers, data[(end + 4)..].ToArray());
            }
            var n = stream.Read(chunk);
            if (n == 0) throw new IOException("the server closed the connection before answering");
            buffer.Write(chunk, 0, n);
        }
    }

    static byte[] ReadBody(Stream stream, Dictionary<string, string> headers, byte[] rest)
    {
        var input = new Reader(rest, stream);
        if (headers.TryGetValue("content-length", out var length) && int.TryParse(length, out var count)) return input.Exactly(count);
        if (headers.GetValueOrDefault("transfer-encoding")?.Equals("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = new MemoryStream();
            while (input.Line() is { } sizeLine && int.TryParse(sizeLine.Split(';')[0].Trim(), System.Globalization.NumberStyles.HexNumber, null, out var size) && size > 0)
            {
                body.Write(input.Exactly(size));
                input.Line();
            }
            return body.ToArray();
        }
        var all = new MemoryStream();
        while (input.Some() is { Length: > 0 } data) all.Write(data);
        return all.ToArray();
    }

    /// <summary>Bytes already read with the head, then the stream.</summary>
    sealed class Reader(byte[] rest, Stream stream)
    {
        int at;

        public byte[] Some()
        {
            if (at < rest.Length)
            {
                var left = rest[at..];
                at = rest.Length;
                return left;
            }
            var buffer = new byte[8192];
            var n = stream.Read(buffer);
            return buffer[..n];
        }

        public byte[] Exactly(int count)
        {
            var result = new MemoryStream();
            while (result.Length < count)
            {
                if (at < rest.Length)
                {
                    var take = Math.Min(count - (int)result.Length, rest.Length - at);
                    result.Write(rest, at, take);
                    at += take;
                    continue;
                }
                var buffer = new byte[Math.Min(8192, count - (int)result.Length)];
                var n = stream.Read(buffer);
                if (n == 0) break;
                result.Write(buffer, 0, n);
            }
            return result.ToArray();
        }

        public string? Line()
        {
            var line = new MemoryStream();
            while (true)
            {
                var b = Exactly(1);
                if (b.Length == 0) return line.Length == 0 ? null : Encoding.ASCII.GetString(line.ToArray());
                if (b[0] == '\n') return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
                line.WriteByte(b[0]);
            }
        }
    }
}
