namespace Corral.Core.Compat.Supervisord;

/// <summary>The server could not be reached: <see cref="Errno"/> is ENOENT (2: no socket file), ECONNREFUSED (111) or another errno.</summary>
public sealed class RpcConnectionError(int errno, string message, bool unixSocket) : Exception(message)
{
    public const int NoFile = 2, Refused = 111;

    public int Errno { get; } = errno;

    /// <summary>Whether the URL was unix://: Python reports its failures from another place than a TCP connect's.</summary>
    public bool UnixSocket { get; } = unixSocket;
}
