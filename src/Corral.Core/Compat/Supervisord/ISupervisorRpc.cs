namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// supervisord's XML-RPC as the supervisorctl personality calls it: one call, its value, or an
/// <see cref="XmlRpcFault"/>, an <see cref="RpcHttpError"/> (HTTP status other than 200) or an
/// <see cref="RpcConnectionError"/> (nobody there). The executable carries it over HTTP.
/// </summary>
public interface ISupervisorRpc
{
    object? Call(string method, params object?[] parameters);

    /// <summary>Streams /logtail/… or /mainlogtail to stdout until it ends or the user interrupts (tail -f); true when interrupted.</summary>
    bool Follow(string path);
}
