using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// reloadConfig's answer and what addProcessGroup / removeProcessGroup apply: supervisord
/// rereads its config per group (a program's group is its first group, or itself) and applies
/// one group at a time. Corral applies a whole config, so applying one group is a reload to the
/// running config with that group's services put in (from the reread one) or taken out.
/// </summary>
public sealed record GroupChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed)
{
    public static string GroupOf(ServiceSpec s) => s.MemberOf.IsDefaultOrEmpty ? s.Name : s.MemberOf[0];

    public static GroupChanges Between(SupervisorConfig running, SupervisorConfig next)
    {
        var old = Groups(running);
        var now = Groups(next);
        var added = now.Keys.Where(g => !old.ContainsKey(g)).Order(StringComparer.Ordinal).ToList();
        var removed = old.Keys.Where(g => !now.ContainsKey(g)).Order(StringComparer.Ordinal).ToList();
        var changed = now.Keys.Where(g => old.TryGetValue(g, out var before) && !Same(before, now[g])).Order(StringComparer.Ordinal).ToList();
        return new(added, changed, removed);
    }

    public bool None => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0;

    static Dictionary<string, List<ServiceSpec>> Groups(SupervisorConfig c) =>
        c.Services.GroupBy(GroupOf).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    static bool Same(List<ServiceSpec> a, List<ServiceSpec> b) =>
        a.Count == b.Count && a.All(x => b.Find(y => y.Name == x.Name) is { } y && PlanDiff.Same(x, y));

    public static bool Has(SupervisorConfig c, string group) => c.Services.Any(s => GroupOf(s) == group);

    /// <summary>The running config with the group's services as the reread config has them (added, or replacing the running ones).</summary>
    public static SupervisorConfig WithGroup(SupervisorConfig running, SupervisorConfig next, string group) =>
        running with { Services = [.. running.Services.Where(s => GroupOf(s) != group), .. next.Services.Where(s => GroupOf(s) == group)] };

    public static SupervisorConfig WithoutGroup(SupervisorConfig running, string group) =>
        running with { Services = [.. running.Services.Where(s => GroupOf(s) != group)] };
}
