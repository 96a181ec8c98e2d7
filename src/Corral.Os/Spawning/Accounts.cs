using Corral.Core.Config;
using Corral.Os.Native;

namespace Corral.Os.Spawning;

/// <summary>
/// User and group look-ups from /etc/passwd and /etc/group (see <see cref="AccountDatabase"/>):
/// no NSS, which a static executable cannot load. A missing file is an empty database, so
/// numeric ids still work in a scratch image.
/// </summary>
public static class Accounts
{
    public static Identity? Resolve(string? user, string? group, out string error) =>
        AccountDatabase.Resolve(user, group,
            AccountDatabase.ParseUsers(EtcFiles.Passwd), AccountDatabase.ParseGroups(EtcFiles.Group),
            Unistd.getuid(), out error);
}
