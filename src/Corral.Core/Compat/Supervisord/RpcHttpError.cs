namespace Corral.Core.Compat.Supervisord;

/// <summary>The server answered with an HTTP status other than 200 (Python's xmlrpc ProtocolError).</summary>
public sealed class RpcHttpError(int status, string reason) : Exception($"{status} {reason}")
{
    public int Status { get; } = status;

    public string Reason { get; } = reason;
}
