using System.Collections.Immutable;

namespace Corral.Core.Compat.S6;

/// <summary>
/// <c>s6-rc [-l live] [-v n] [-t ms] [-n n] [-u|-d|-D] [-p] [-a] [-b] COMMAND [NAME…]</c>, the
/// commands scripts use: <c>change</c> (bring the named services up, or down with -d/-D),
/// <c>list</c> and <c>listall</c> (the named services; with -a, the services that are up);
/// <c>-a change</c> without names acts on every service.
/// -l, -v, -n, -b and -p are accepted: Corral has one live state and prunes nothing.
/// </summary>
public sealed record S6RcRequest(string Command, bool Up, bool Active, TimeSpan? Timeout, ImmutableArray<string> Names)
{
    public const string Usage = "s6-rc: usage: s6-rc [ -l live ] [ -b ] [ -a ] [ -u | -d | -D ] [ -p ] [ -v verbosity ] [ -n dryrunthrottle ] [ -t timeout ] help|list|listall|diff|change [ servicenames... ]\n";

    public static (S6RcRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var read = Subgetopt.Parse(args, "l:v:t:n:udDpabE");
        if (read.Error is { } error) return (null, error);
        var (up, active) = (true, false);
        TimeSpan? timeout = null;
        foreach (var (letter, value) in read.Options)
        {
            switch (letter)
            {
                case 'u': up = true; break;
                case 'd' or 'D': up = false; break;
                case 'a': active = true; break;
                case 't':
                    if (!Milliseconds.TryParse(value!, out timeout)) return (null, $"-t needs milliseconds, not '{value}'");
                    break;
            }
        }
        if (read.Rest.IsEmpty) return (null, "no command");
        var command = read.Rest[0];
        if (command is not ("change" or "list" or "listall" or "help")) return (null, $"unknown command '{command}'");
        ImmutableArray<string> names = [.. read.Rest.Skip(1).Select(ServiceDirectory.NameOf)];
        // -a with change and no names: every service (s6-rc -da change brings everything down).
        if (names.IsEmpty && active && command == "change") names = ["all"];
        return (new S6RcRequest(command, up, active, timeout, names), null);
    }
}
