using System.Collections.Immutable;

namespace Corral.Core.Compat.S6;

/// <summary>
/// <c>s6-setuidgid ACCOUNT PROG…</c> and <c>s6-envuidgid [-i|-D uid:gid] ACCOUNT PROG…</c>: ACCOUNT is
/// a user name, or <c>uid:gid</c> as s6-setuidgid also takes it. -i (unknown account: no error)
/// and -D (its default) are s6-envuidgid's.
/// </summary>
public sealed record UidgidRequest(string User, string? Group, bool TolerateUnknown, string? Default, ImmutableArray<string> Command)
{
    public const string SetUsage = "s6-setuidgid: usage: s6-setuidgid account prog...\n";
    public const string EnvUsage = "s6-envuidgid: usage: s6-envuidgid [ -u | -g | -B ] [ -n ] [ -i | -D defaultuid:defaultgid:defaultgidlist ] account prog...\n";

    public static (UidgidRequest? Request, string? Error) Parse(IReadOnlyList<string> args, bool env)
    {
        var read = Subgetopt.Parse(args, env ? "ugBniD:" : "");
        if (read.Error is { } error) return (null, error);
        if (read.Rest.Length < 2) return (null, "too few arguments");
        var account = read.Rest[0];
        var colon = account.IndexOf(':');
        var (user, group) = colon < 0 ? (account, (string?)null) : (account[..colon], account[(colon + 1)..]);
        if (user.Length == 0) return (null, $"'{account}' names no user");
        var tolerate = read.Options.Any(o => o.Letter is 'i' or 'D');
        var fallback = read.Options.LastOrDefault(o => o.Letter == 'D').Value;
        return (new UidgidRequest(user, group, tolerate, fallback, [.. read.Rest.Skip(1)]), null);
    }

    /// <summary>s6-envuidgid's variables for an identity: UID, GID and GIDLIST (the supplementary groups, comma-separated).</summary>
    public static ImmutableArray<KeyValuePair<string, string>> Variables(uint uid, uint gid, IEnumerable<uint> groups) =>
        [new("UID", uid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
         new("GID", gid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
         new("GIDLIST", string.Join(",", groups))];
}
