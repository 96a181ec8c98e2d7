namespace Corral.Core.Compat.S6;

/// <summary>
/// A service directory as scripts name it (<c>/run/service/nginx</c>,
/// <c>/var/run/s6/legacy-services/nginx</c>, <c>/run/s6-rc/servicedirs/nginx/</c>) stands for the
/// Corral service of its last component: Corral keeps no service directories, it knows the names.
/// A logger's directory, <c>…/NAME/log</c>, is the service NAME-log (see <see cref="LoggerName"/>).
/// </summary>
public static class ServiceDirectory
{
    public static string NameOf(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return path;
        return parts.Length >= 2 && parts[^1] == "log" ? LoggerName(parts[^2]) : parts[^1];
    }

    /// <summary>The service that runs NAME/log/run, the logger of NAME.</summary>
    public static string LoggerName(string service) => service + "-log";
}
