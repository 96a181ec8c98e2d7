using Corral.Core.Compat.S6;
using Corral.Os.Pid1;
using Corral.Os.Spawning;

namespace Corral.Cli.S6;

/// <summary>
/// <c>s6-setuidgid ACCOUNT PROG…</c>: PROG as that user, with its primary and supplementary
/// groups (or as uid:gid). <c>s6-envuidgid ACCOUNT PROG…</c>: PROG with UID, GID and GIDLIST set
/// to that account's, identity unchanged (s6-applyuidgid's input).
/// </summary>
public static class Uidgid
{
    public static int Run(string[] args, bool env)
    {
        var name = env ? "s6-envuidgid" : "s6-setuidgid";
        var (request, error) = UidgidRequest.Parse(args, env);
        if (request is null) return S6Tools.Usage(name, error!, env ? UidgidRequest.EnvUsage : UidgidRequest.SetUsage);
        if (!env) return S6Tools.Exec(name, S6Tools.Command(request.Command) with { User = request.User, Group = request.Group });

        var identity = Accounts.Resolve(request.User, request.Group, out var problem);
        List<KeyValuePair<string, string>> variables;
        if (identity is not null) variables = [.. UidgidRequest.Variables(identity.Uid, identity.Gid, identity.Groups)];
        else if (!request.TolerateUnknown) return S6Tools.Fatal(name, $"unknown account {request.User}: {problem}", 1);
        else variables = Defaults(request.Default);
        var environment = ProcessEnvironment.Snapshot();
        environment.RemoveAll(e => variables.Any(v => e.StartsWith(v.Key + "=", StringComparison.Ordinal)));
        environment.AddRange(variables.Select(v => $"{v.Key}={v.Value}"));
        return S6Tools.Exec(name, S6Tools.Command(request.Command, [.. environment]));
    }

    /// <summary>-D uid:gid:gidlist for an unknown account; -i alone leaves the variables unset.</summary>
    static List<KeyValuePair<string, string>> Defaults(string? given)
    {
        if (given is null) return [];
        var parts = given.Split(':', 3);
        return [new("UID", parts[0]), new("GID", parts.Length > 1 ? parts[1] : ""), new("GIDLIST", parts.Length > 2 ? parts[2] : "")];
    }
}
