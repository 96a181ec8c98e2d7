using System.Collections.Immutable;

namespace Corral.Core.Config;

/// <summary>One line of /etc/passwd: name, uid, primary gid and home directory.</summary>
public sealed record UserEntry(string Name, uint Uid, uint Gid, string Home);

/// <summary>One line of /etc/group: name, gid and the users listed as members.</summary>
public sealed record GroupEntry(string Name, uint Gid, ImmutableArray<string> Members);

/// <summary>A resolved identity: uid, primary gid, supplementary groups, home directory.</summary>
public sealed record Identity(uint Uid, uint Gid, uint[] Groups, string? Home);

/// <summary>
/// Overview: the user and group databases read from the text of /etc/passwd and /etc/group, as
/// glibc's "files" source reads them, and never through NSS: Corral is a static executable and a
/// container has no other source. Used by <c>corral exec --user</c> and by <c>corral check</c>.
/// </summary>
public static class AccountDatabase
{
    /// <summary>The well-formed "name:password:uid:gid:gecos:home:shell" lines, in file order.</summary>
    public static ImmutableArray<UserEntry> ParseUsers(string text) =>
        [.. Records(text, 4).Select(f => uint.TryParse(f[2], out var uid) && uint.TryParse(f[3], out var gid)
                ? new UserEntry(f[0], uid, gid, f.Length > 5 ? f[5] : "") : null)
            .OfType<UserEntry>()];

    /// <summary>The well-formed "name:password:gid:member,member" lines, in file order.</summary>
    public static ImmutableArray<GroupEntry> ParseGroups(string text) =>
        [.. Records(text, 3).Select(f => uint.TryParse(f[2], out var gid)
                ? new GroupEntry(f[0], gid, f.Length > 3 ? [.. f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [])
                : null)
            .OfType<GroupEntry>()];

    /// <summary>
    /// Resolves "USER" and optional "GROUP" (names or numbers) as gosu and su-exec do: a known
    /// user gets its primary group, every group that lists it as a member (getgrouplist's order:
    /// primary first, then file order) and its home; an explicit group replaces them all; a
    /// numeric uid that is not in the file runs with the gid of the same number. Without a user,
    /// <paramref name="currentUid"/> stays. Null with a message when a name is unknown.
    /// </summary>
    public static Identity? Resolve(string? user, string? group, ImmutableArray<UserEntry> users, ImmutableArray<GroupEntry> groups, uint currentUid, out string error)
    {
        error = "";
        uint uid = currentUid, gid = 0;
        UserEntry? entry = null;
        if (user is not null)
        {
            var isNumber = uint.TryParse(user, out uid);
            entry = isNumber ? users.FirstOrDefault(u => u.Uid == uid) : users.FirstOrDefault(u => u.Name == user);
            if (entry is not null) (uid, gid) = (entry.Uid, entry.Gid);
            else if (isNumber) gid = uid;
            else { error = $"no such user '{user}' in /etc/passwd"; return null; }
        }
        if (group is not null)
        {
            if (!uint.TryParse(group, out gid))
            {
                if (groups.FirstOrDefault(g => g.Name == group) is not { } named) { error = $"no such group '{group}' in /etc/group"; return null; }
                gid = named.Gid;
            }
            return new Identity(uid, gid, [gid], entry?.Home);
        }
        if (entry is null) return new Identity(uid, gid, [gid], null);
        uint[] supplementary = [gid, .. groups.Where(g => g.Members.Contains(entry.Name)).Select(g => g.Gid)];
        return new Identity(uid, gid, [.. supplementary.Distinct()], entry.Home);
    }

    /// <summary>The colon-separated fields of each line with at least <paramref name="minFields"/>; comments, blank lines and NIS "+"/"-" lines skipped.</summary>
    static IEnumerable<string[]> Records(string text, int minFields) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && line[0] is not ('#' or '+' or '-'))
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= minFields && fields[0].Length > 0);
}
