using System.Collections.Immutable;
using Corral.Core.Model.Services;

namespace Corral.Core.Config.Supervisord;

/// <summary>[supervisord], [unix_http_server] and [inet_http_server]: the supervisor itself and its control server.</summary>
internal static class ServerSections
{
    static readonly string[] quietLogfiles = ["/dev/stdout", "/dev/stderr", "/dev/null", "/dev/fd/1", "/dev/fd/2", "/proc/self/fd/1", "/proc/self/fd/2"];

    /// <summary>What [supervisord] sets: the programs' defaults, and the pid file Corral writes.</summary>
    internal static (ImmutableArray<KeyValuePair<string, string>> Environment, int? Umask, string? User, string? PidFile) ReadSupervisord(
        IniSection section, IniExpansion.Names names, IniFields f)
    {
        ImmutableArray<KeyValuePair<string, string>> environment = [];
        int? umask = null;
        string? user = null, pidFile = null;
        foreach (var e in section.Entries)
        {
            switch (e.Key)
            {
                case "environment":
                    environment = f.Environment(section, e, names) ?? [];
                    break;
                case "umask":
                    umask = f.Octal(section, e, names);
                    break;
                case "user":
                    // supervisord switches to this user, so its programs run as it; Corral runs them as it.
                    if (f.Text(section, e, names) is { } u && u.Trim() is { Length: > 0 } name && name != "root" && name != "0") user = name;
                    break;
                case "pidfile":
                    if (f.Text(section, e, names) is { } p && p.Trim().Length > 0) pidFile = System.IO.Path.Combine(e.Here, p.Trim());
                    break;
                case "nodaemon":
                    f.Boolean(section, e, names); // Corral never daemonizes.
                    break;
                case "directory" or "nocleanup" or "logfile_maxbytes" or "logfile_backups":
                    // directory: supervisord changes to it only when it daemonizes; nocleanup: no AUTO
                    // log files to clean; the logfile's size: see logfile.
                    break;
                case "logfile":
                    if (f.Text(section, e, names) is { } log && !quietLogfiles.Contains(log.Trim()))
                        f.NotImplemented(section, e, "Corral writes its own messages to its stderr, not to a file");
                    break;
                case "loglevel":
                    if (f.Text(section, e, names) is { } level && !level.Trim().Equals("info", StringComparison.OrdinalIgnoreCase))
                        f.NotImplemented(section, e, "Corral's own messages: corral run -v for debug, -q for errors only");
                    break;
                case "childlogdir":
                    f.NotImplemented(section, e, "AUTO log files are not written; AUTO means Corral's own output");
                    break;
                case "identifier":
                    if (f.Text(section, e, names) is { } id && id.Trim() != "supervisor") f.NotImplemented(section, e, "");
                    break;
                case "minfds" or "minprocs":
                    f.NotImplemented(section, e, "set the limits with docker run --ulimit");
                    break;
                case "strip_ansi" or "silent":
                    if (f.Boolean(section, e, names) == true) f.NotImplemented(section, e, "");
                    break;
                default:
                    f.Warn(e.Where, IniFields.Field(section, e), "unknown option, ignored");
                    break;
            }
        }
        return (environment, umask, user, pidFile);
    }

    /// <summary>[unix_http_server] file= is the control socket; Corral's socket is always mode 0600.</summary>
    internal static ControlSpec ReadUnix(IniSection section, ControlSpec control, IniExpansion.Names names, IniFields f)
    {
        foreach (var e in section.Entries)
        {
            var field = IniFields.Field(section, e);
            switch (e.Key)
            {
                case "file":
                    if (f.Text(section, e, names) is not { } path) break;
                    if (path.Trim().Length == 0) f.Error(e.Where, field, "expected the socket's path");
                    else control = control with { Socket = System.IO.Path.Combine(e.Here, path.Trim()) };
                    break;
                case "chmod":
                    if (f.Octal(section, e, names, 4095) is { } mode && (mode & 63) != 0 /* group or others may use it */)
                        f.NotImplemented(section, e, "Corral's control socket is always mode 0600, for its owner only");
                    break;
                case "chown":
                    f.NotImplemented(section, e, "the control socket belongs to the user Corral runs as");
                    break;
                case "username" or "password":
                    f.NotImplemented(section, e, "no password is asked on the Unix socket; its mode 0600 guards it");
                    break;
                default:
                    f.Warn(e.Where, field, "unknown option, ignored");
                    break;
            }
        }
        return control;
    }

    /// <summary>[inet_http_server] port=host:port with username and password: Corral's TCP control listener, never without credentials.</summary>
    internal static ControlSpec ReadInet(IniSection section, ControlSpec control, IniExpansion.Names names, IniFields f)
    {
        string? host = null, username = null, password = null;
        var port = 0;
        foreach (var e in section.Entries)
        {
            var field = IniFields.Field(section, e);
            switch (e.Key)
            {
                case "port":
                    if (f.Text(section, e, names) is not { } listen) break;
                    listen = listen.Trim();
                    var colon = listen.LastIndexOf(':');
                    var portText = colon < 0 ? listen : listen[(colon + 1)..];
                    if (!int.TryParse(portText, out port) || port is < 1 or > 65535)
                    {
                        f.Error(e.Where, field, $"expected HOST:PORT or PORT (127.0.0.1:9001, *:9001, 9001), got '{listen}'");
                        break;
                    }
                    host = colon < 0 ? "*" : listen[..colon].Trim('[', ']');
                    if (host.Length == 0) host = "*";
                    break;
                case "username":
                    username = f.Text(section, e, names)?.Trim();
                    if (username is { Length: 0 } || username?.Contains(':') == true)
                    {
                        f.Error(e.Where, field, "a user name must be non-empty and must not contain ':'");
                        username = null;
                    }
                    break;
                case "password":
                    password = f.Text(section, e, names)?.Trim();
                    if (password?.StartsWith("{SHA}", StringComparison.Ordinal) == true)
                    {
                        f.Error(e.Where, field, "{SHA} password hashes are not supported by Corral: write the password itself");
                        password = null;
                    }
                    break;
                default:
                    f.Warn(e.Where, field, "unknown option, ignored");
                    break;
            }
        }
        if (host is null)
        {
            f.Error(section.Where, section.Name + ".port", "missing 'port = HOST:PORT'");
            return control;
        }
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            f.Error(section.Where, section.Name,
                "Corral needs 'username' and 'password' here: its TCP control listener is never open without credentials");
            return control;
        }
        return control with { Tcp = new TcpListen(host, port, username, password) };
    }
}
