namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// Where and how supervisorctl talks to its server: the URL (unix:///path or http://host:port),
/// the credentials, the shell's prompt and whether it is interactive (the shell, where
/// shutdown asks first and the exit status is always 0).
/// </summary>
public sealed record CtlSettings(string ServerUrl, string? Username = null, string? Password = null, string Prompt = "supervisor", bool Interactive = false)
{
    public const string DefaultServerUrl = "http://localhost:9001";
}
