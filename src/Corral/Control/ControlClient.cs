using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

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

    /// <summary>The "error" the server gave, or the status in words.</summary>
    public string Error => Json is { } j && j.ValueKind == JsonValueKind.Object && j.TryGetProperty("error", out var e) ? e.GetString() ?? "" : $"HTTP {Status}";
}

/// <summary>Thrown when Corral cannot be reached at all (no socket, nobody listening, refused).</summary>
public sealed class ControlUnreachableException(string message) : Exception(message);

/// <summary>
/// HTTP client of the control API, over the Unix socket (default) or a TCP URL with basic
/// authentication: what <c>corral ctl</c> uses.
/// </summary>
public sealed class ControlClient : IDisposable
{
    readonly HttpClient http;
    readonly string where;

    public ControlClient(string socketPath, string? url, string? credentials)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) };
        if (url is null)
        {
            where = socketPath;
            handler.ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        else where = url;
        http = new HttpClient(handler) { BaseAddress = new Uri(url ?? "http://corral/"), Timeout = Timeout.InfiniteTimeSpan };
        if (credentials is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
    }

    public ApiResponse Get(string path, TimeSpan? timeout = null) => Send(HttpMethod.Get, path, timeout);

    public ApiResponse Post(string path, TimeSpan? timeout = null) => Send(HttpMethod.Post, path, timeout);

    ApiResponse Send(HttpMethod method, string path, TimeSpan? timeout)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            using var response = http.Send(new HttpRequestMessage(method, path.TrimStart('/')), cancel.Token);
            using var reader = new StreamReader(response.Content.ReadAsStream(cancel.Token), Encoding.UTF8);
            return new ApiResponse((int)response.StatusCode, reader.ReadToEnd());
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or null || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new ControlUnreachableException($"cannot reach Corral at {where}: {(e.InnerException ?? e).Message}");
        }
        catch (OperationCanceledException)
        {
            throw new ControlUnreachableException($"no answer from Corral at {where} in time");
        }
    }

    /// <summary>Streams a response line by line to <paramref name="onLine"/> until it ends (follow mode); the status when not 200.</summary>
    public ApiResponse? Stream(string path, Action<string> onLine, CancellationToken cancel)
    {
        try
        {
            using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), HttpCompletionOption.ResponseHeadersRead, cancel);
            using var reader = new StreamReader(response.Content.ReadAsStream(cancel), Encoding.UTF8);
            if ((int)response.StatusCode != 200) return new ApiResponse((int)response.StatusCode, reader.ReadToEnd());
            while (reader.ReadLine() is { } line) onLine(line);
            return null;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or null || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new ControlUnreachableException($"cannot reach Corral at {where}: {(e.InnerException ?? e).Message}");
        }
        catch (IOException) when (!cancel.IsCancellationRequested)
        {
            // The server went away (Corral stopped): the stream simply ends.
            return null;
        }
    }

    public void Dispose() => http.Dispose();
}
