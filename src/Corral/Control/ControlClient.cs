using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Corral.Control;

/// <summary>The answer of the control API: an HTTP status and the body, parsed when it is JSON.</summary>
public sealed record ApiResponse(int Status, string Body)
{
    public JsonElement? Json
    {
        get
        {
            try { return JsonDocument.Parse(Body).RootElement; }
            catch (JsonException) { return null; }
        }
    }

    /// <summary>The body as a status answer (StatusJson); null when it is not one, e.g. from another version of Corral.</summary>
    public T? Read<T>(JsonTypeInfo<T> type) where T : class
    {
        try { return JsonSerializer.Deserialize(Body, type); }
        catch (JsonException) { return null; }
    }

    /// <summary>The "error" the server gave, or the status in words.</summary>
    public string Error => Json is { } j && j.ValueKind == JsonValueKind.Object && j.TryGetProperty("error", out var e) ? e.GetString() ?? "" : $"HTTP {Status}";
}

/// <summary>Thrown when Corral cannot be reached at all (no socket, nobody listening, refused).</summary>
public sealed class ControlUnreachableException(string message) : Exception(message);

/// <summary>
/// Client of the control API for <c>corral ctl</c>, over the Unix socket (default) or a TCP URL
/// with basic authentication. It speaks plain HTTP/1.0, one request per connection: the server
/// (Kestrel) then sends the body as is and closes the connection at its end, so the client needs
/// neither chunked decoding nor keep-alive, and Corral's binary carries no HTTP client library
/// (HttpClient alone would add 2.5 MB).
/// </summary>
public sealed class ControlClient(string socketPath, string? url, string? credentials) : IDisposable
{
    readonly string where = url ?? socketPath;

    public ApiResponse Get(string path, TimeSpan? timeout = null) => Send("GET", path, timeout);

    public ApiResponse Post(string path, TimeSpan? timeout = null) => Send("POST", path, timeout);

    ApiResponse Send(string method, string path, TimeSpan? timeout)
    {
        using var socket = Connect(method, path, timeout ?? TimeSpan.FromSeconds(60));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var (status, rest) = ReadHead(stream);
        var body = new MemoryStream();
        body.Write(rest);
        try { stream.CopyTo(body); }
        catch (IOException e) { throw new ControlUnreachableException($"Corral at {where} broke off its answer: {Words(e)}"); }
        return new ApiResponse(status, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>Streams a response line by line to <paramref name="onLine"/> until it ends (follow mode); the response when not 200.</summary>
    public ApiResponse? Stream(string path, Action<string> onLine, CancellationToken cancel)
    {
        using var socket = Connect("GET", path, Timeout.InfiniteTimeSpan);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var registration = cancel.Register(() => socket.Dispose());
        // The head must come in time; then the stream may be quiet for as long as the services are.
        socket.ReceiveTimeout = 30_000;
        var (status, rest) = ReadHead(stream);
        socket.ReceiveTimeout = 0;
        var body = new ConcatStream(rest, stream);
        using var reader = new StreamReader(body, Encoding.UTF8);
        if (status != 200) return new ApiResponse(status, reader.ReadToEnd());
        try
        {
            while (reader.ReadLine() is { } line) onLine(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The server went away (Corral stopped) or we were cancelled: the stream simply ends.
        }
        return null;
    }

    Socket Connect(string method, string path, TimeSpan timeout)
    {
        Socket socket;
        string host;
        try
        {
            if (url is null)
            {
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.Connect(new UnixDomainSocketEndPoint(socketPath));
                host = "corral";
            }
            else
            {
                var uri = new Uri(url);
                if (uri.Scheme != "http") throw new ControlUnreachableException($"only http:// URLs are supported, not {url}");
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(uri.Host, uri.Port);
                host = uri.Authority;
            }
        }
        catch (SocketException e)
        {
            throw new ControlUnreachableException($"cannot reach Corral at {where}: {e.Message}");
        }
        catch (UriFormatException)
        {
            throw new ControlUnreachableException($"not a URL: {url}");
        }
        if (timeout != Timeout.InfiniteTimeSpan) socket.ReceiveTimeout = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds);
        var request = new StringBuilder($"{method} /{path.TrimStart('/')} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: corral-ctl\r\nContent-Length: 0\r\n");
        if (credentials is not null) request.Append("Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))).Append("\r\n");
        request.Append("\r\n");
        try { socket.Send(Encoding.ASCII.GetBytes(request.ToString())); }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ControlUnreachableException($"cannot talk to Corral at {where}: {e.Message}");
        }
        return socket;
    }

    /// <summary>Reads the status line and headers; returns the status and the bytes of the body read with them.</summary>
    (int Status, byte[] Body) ReadHead(NetworkStream stream)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (true)
        {
            int n;
            try { n = stream.Read(buffer, filled, buffer.Length - filled); }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
            {
                throw new ControlUnreachableException($"no answer from Corral at {where} in time");
            }
            catch (IOException e)
            {
                throw new ControlUnreachableException($"Corral at {where} closed the connection: {Words(e)}");
            }
            if (n == 0) throw new ControlUnreachableException($"Corral at {where} closed the connection without an answer");
            filled += n;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var statusLine = head.Split("\r\n")[0].Split(' ');
                if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(statusLine[1], out var status))
                    throw new ControlUnreachableException($"{where} does not answer like Corral (\"{head.Split("\r\n")[0]}\")");
                return (status, buffer[(end + 4)..filled]);
            }
            if (filled == buffer.Length) throw new ControlUnreachableException($"{where} sent an answer with oversized headers");
        }
    }

    public void Dispose() { }

    /// <summary>The body bytes that came with the headers, then the rest of the connection.</summary>
    /// <summary>An I/O failure in words: the socket's own (the C library's) text, never a resource key.</summary>
    static string Words(IOException e) => e.InnerException is SocketException s ? s.Message : Os.Logging.Problems.Describe(e);

    sealed class ConcatStream(byte[] first, Stream rest) : Stream
    {
        int at;
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (at < first.Length)
            {
                var n = Math.Min(count, first.Length - at);
                Array.Copy(first, at, buffer, offset, n);
                at += n;
                return n;
            }
            return rest.Read(buffer, offset, count);
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
