namespace Corral.Core.Model.Services;

/// <summary>How a name given to <c>corral ctl</c> is read: a service, a group (also as supervisorctl writes it), or all.</summary>
public static class ServiceNames
{
    public const string All = "all";

    /// <summary>The group a name stands for: "web", "web:" and "web:*" all mean group web.</summary>
    public static string GroupOf(string name) =>
        name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name.TrimEnd(':');

    /// <summary>Whether a service called <paramref name="service"/>, in <paramref name="groups"/>, is what <paramref name="name"/> names.</summary>
    public static bool Matches(string name, string service, IEnumerable<string> groups) =>
        name == All || name == service || groups.Contains(GroupOf(name));

    /// <summary>
    /// The items these names stand for (all of them when no name is given), in their order, and
    /// the names that stand for nothing: one reading for ctl, the API and healthcheck.
    /// </summary>
    public static (List<T> Picked, List<string> Unknown) Pick<T>(
        IReadOnlyList<T> items, IReadOnlyCollection<string> names, Func<T, string> name, Func<T, IEnumerable<string>> groups)
    {
        if (names.Count == 0) return ([.. items], []);
        var picked = items.Where(s => names.Any(n => Matches(n, name(s), groups(s)))).ToList();
        var unknown = names.Where(n => !items.Any(s => Matches(n, name(s), groups(s)))).ToList();
        return (picked, unknown);
    }
}
