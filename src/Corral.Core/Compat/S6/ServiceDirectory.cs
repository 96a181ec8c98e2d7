namespace Corral.Core.Compat.S6;

/// <summary>
/// A service directory as scripts name it (<c>/run/service/nginx</c>,
/// <c>/var/run/s6/legacy-services/nginx</c>, <c>/run/s6-rc/servicedirs/nginx/</c>) stands for the
/// Corral service of its last component: Corral keeps no service directories, it knows the names.
/// </summary>
public static class ServiceDirectory
{
    public static string NameOf(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }
}
