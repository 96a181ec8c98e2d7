using Corral.Core.Model.Services;
using YamlDotNet.RepresentationModel;

namespace Corral.Core.Config.Yaml;

/// <summary>The top-level <c>control:</c> block: the control socket, an optional TCP listener and its credentials.</summary>
internal static class ControlSection
{
    static readonly string[] controlKeys = ["socket", "tcp", "idle_stop"];
    static readonly string[] tcpKeys = ["listen", "username", "password", "password_file"];

    internal static ControlSpec? ReadControl(YamlNode node, FieldReader r, string configDirectory)
    {
        if (r.Mapping(node, "control") is not { } map) return null;
        var control = new ControlSpec();
        foreach (var (key, _, value) in r.Entries(map, "control", controlKeys))
        {
            var field = "control." + key;
            switch (key)
            {
                case "socket":
                    // socket: false turns the control server off; a string is its path.
                    if (value is YamlScalarNode { Value: "false" } && value.Tag.IsEmpty) control = control with { Enabled = false };
                    else if (r.String(value, field) is { } path)
                    {
                        if (path.Length == 0) r.Error(value, field, "expected a path, or false to turn the control socket off");
                        else control = control with { Socket = Path.Combine(configDirectory, path) };
                    }
                    break;
                case "tcp":
                    if (ReadTcp(value, r, configDirectory) is { } tcp) control = control with { Tcp = tcp };
                    break;
                case "idle_stop":
                    if (r.Duration(value, field, positive: true) is not { } idle) break;
                    // Shorter, and the server could stop before the connection that woke it is served.
                    if (idle < TimeSpan.FromSeconds(1)) r.Error(value, field, $"must be at least 1s, got '{Model.Durations.Format(idle)}'");
                    else control = control with { IdleStop = idle };
                    break;
            }
        }
        return control;
    }

    /// <summary>tcp: {listen: "127.0.0.1:9100", username: admin, password: … | password_file: …}; never without credentials.</summary>
    static TcpListen? ReadTcp(YamlNode node, FieldReader r, string configDirectory)
    {
        if (r.Mapping(node, "control.tcp") is not { } map) return null;
        string? host = null, username = null, password = null;
        FileReference? passwordFile = null;
        var port = 0;
        foreach (var (key, _, value) in r.Entries(map, "control.tcp", tcpKeys))
        {
            var field = "control.tcp." + key;
            switch (key)
            {
                case "listen":
                    if (r.String(value, field) is not { } listen) break;
                    var colon = listen.LastIndexOf(':');
                    if (colon < 0 || !int.TryParse(listen[(colon + 1)..], out port) || port is < 1 or > 65535)
                    {
                        r.Error(value, field, $"expected HOST:PORT (e.g. 127.0.0.1:9100, or *:9100 for every address), got '{listen}'");
                        break;
                    }
                    host = listen[..colon].Trim('[', ']');
                    if (host.Length == 0) host = "*";
                    break;
                case "username":
                    username = r.String(value, field);
                    if (username is { Length: 0 } || username?.Contains(':') == true)
                    {
                        r.Error(value, field, "a user name must be non-empty and must not contain ':'");
                        username = null;
                    }
                    break;
                case "password":
                    password = r.String(value, field);
                    break;
                case "password_file":
                    // Read by the caller (Core reads no files): see LoadedConfig.WithPasswordFile.
                    if (r.String(value, field) is not { } file) break;
                    if (file.Length == 0) r.Error(value, field, "expected the path of a file that holds the password");
                    else passwordFile = new(Path.Combine(configDirectory, file), r.At(value));
                    break;
            }
        }
        var ok = true;
        if (host is null)
        {
            r.Error(map, "control.tcp.listen", "missing 'listen: HOST:PORT'");
            ok = false;
        }
        if (username is null || (string.IsNullOrEmpty(password) && passwordFile is null))
        {
            r.Error(map, "control.tcp", "a TCP control listener needs 'username' and 'password' (or 'password_file'): it is never open without credentials");
            ok = false;
        }
        return ok ? new TcpListen(host!, port, username!, passwordFile is null ? password! : "", passwordFile) : null;
    }
}
