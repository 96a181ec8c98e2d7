using System.Collections.Immutable;
using System.Globalization;

namespace Corral.Core.Compat.S6;

/// <summary>
/// execline's <c>fdmove [-c] TO FROM PROG…</c>: descriptor FROM becomes TO (dup2), FROM is closed
/// unless -c (copy), then PROG runs in this process.
/// </summary>
public sealed record FdmoveRequest(bool Copy, int To, int From, ImmutableArray<string> Command)
{
    public const string Usage = "fdmove: usage: fdmove [ -c ] fdto fdfrom prog...\n";

    public static (FdmoveRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var read = Subgetopt.Parse(args, "c");
        if (read.Error is { } error) return (null, error);
        if (read.Rest.Length < 3) return (null, "too few arguments");
        if (!int.TryParse(read.Rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var to)) return (null, $"'{read.Rest[0]}' is not a descriptor");
        if (!int.TryParse(read.Rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out var from)) return (null, $"'{read.Rest[1]}' is not a descriptor");
        return (new FdmoveRequest(read.Options.Length > 0, to, from, [.. read.Rest.Skip(2)]), null);
    }
}
