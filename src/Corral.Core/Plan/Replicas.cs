using System.Globalization;
using Corral.Core.Model.Services;

namespace Corral.Core.Planning;

/// <summary>
/// replicas: a service with N replicas becomes N services NAME.1 … NAME.N, each in the group
/// NAME (so <c>ctl restart NAME</c> and a dependency on NAME mean every copy), with
/// CORRAL_REPLICA=i and, when asked, PORT. A dependency on NAME waits for every copy; one on
/// NAME.2 for that copy alone. Copies keep their names when the count changes, so scaling
/// from 3 to 4 adds NAME.4 and touches nothing else.
/// </summary>
public static class Replicas
{
    public static string NameOf(string service, int index) => $"{service}.{index.ToString(CultureInfo.InvariantCulture)}";

    public static SupervisorConfig Expand(SupervisorConfig config)
    {
        var counts = config.Services.Where(s => s.Replicas is not null).GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Replicas!.Value, StringComparer.Ordinal);
        if (counts.Count == 0) return config;
        var services = new List<ServiceSpec>();
        foreach (var s in config.Services)
        {
            var spec = s with
            {
                DependsOn = [.. s.DependsOn.SelectMany(d => counts.TryGetValue(d.Service, out var n)
                    ? Enumerable.Range(1, n).Select(i => d with { Service = NameOf(d.Service, i), Via = d.Service })
                    : [d])],
            };
            if (s.Replicas is not { } count)
            {
                services.Add(spec);
                continue;
            }
            for (var i = 1; i <= count; i++)
            {
                List<KeyValuePair<string, string>> environment = [.. s.Environment, new("CORRAL_REPLICA", i.ToString(CultureInfo.InvariantCulture))];
                if (s.ReplicaPort is { } port) environment.Add(new("PORT", (port + i - 1).ToString(CultureInfo.InvariantCulture)));
                services.Add(spec with
                {
                    Name = NameOf(s.Name, i),
                    Replicas = null,
                    ReplicaPort = null,
                    MemberOf = [s.Name, .. s.MemberOf.Where(g => g != s.Name)],
                    Environment = [.. environment],
                });
            }
        }
        return config with { Services = [.. services] };
    }

    /// <summary>The declared config with one service's replica count changed (ctl scale); null when it has no such service.</summary>
    public static SupervisorConfig? Scale(SupervisorConfig declared, string service, int count)
    {
        if (declared.Services.All(s => s.Name != service)) return null;
        return declared with { Services = [.. declared.Services.Select(s => s.Name == service ? s with { Replicas = count } : s)] };
    }
}
