using System.Net;

namespace Corral.Core.Config;

/// <summary>
/// Host names from the text of /etc/hosts, the only name service a static Corral has: no DNS
/// (that needs glibc's NSS modules at run time). IP literals need no file, and "localhost"
/// always resolves to the loopback addresses, even in a root without /etc/hosts.
/// </summary>
public static class HostsFile
{
    /// <summary>The addresses for <paramref name="host"/>, in file order; empty when it is unknown.</summary>
    public static IPAddress[] Resolve(string host, string? hostsText)
    {
        if (IPAddress.TryParse(host, out var literal)) return [literal];
        var found = new List<IPAddress>();
        foreach (var raw in (hostsText ?? "").Split('\n'))
        {
            var line = raw.IndexOf('#') is var hash and >= 0 ? raw[..hash] : raw;
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !IPAddress.TryParse(fields[0], out var address)) continue;
            if (fields.Skip(1).Any(name => string.Equals(name, host, StringComparison.OrdinalIgnoreCase)) && !found.Contains(address))
                found.Add(address);
        }
        if (found.Count == 0 && string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        return [.. found];
    }
}
