using System.Collections.Immutable;

namespace Corral.Core.Compat.S6;

/// <summary>
/// <c>s6-svwait [-u|-U|-d|-D|-r|-R] [-a|-o] [-t ms] SERVICEDIR…</c>: the state to wait for
/// (default u, up), whether all (default) or one of the services must reach it, and how long.
/// </summary>
public sealed record SvwaitRequest(char State, bool All, TimeSpan? Timeout, ImmutableArray<string> Services)
{
    public const string Usage = "s6-svwait: usage: s6-svwait [ -U | -u | -D | -d | -r | -R ] [ -a | -o ] [ -t timeout ] servicedir...\n";

    public static (SvwaitRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var read = Subgetopt.Parse(args, "uUdDrRaot:");
        if (read.Error is { } error) return (null, error);
        var (state, all) = ('u', true);
        TimeSpan? timeout = null;
        foreach (var (letter, value) in read.Options)
        {
            switch (letter)
            {
                case 'a': all = true; break;
                case 'o': all = false; break;
                case 't':
                    if (!Milliseconds.TryParse(value!, out timeout)) return (null, $"-t needs milliseconds, not '{value}'");
                    break;
                default: state = letter; break;
            }
        }
        return (new SvwaitRequest(state, all, timeout, [.. read.Rest.Select(ServiceDirectory.NameOf)]), null);
    }
}
