using System.Collections.Immutable;
using System.Globalization;

namespace Corral.Core.Compat.S6;

/// <summary>
/// <c>s6-notifyoncheck [-d] [-3 fd] [-s initial] [-T timeout] [-t interval] [-n tries] [-w wait]
/// [-c checkprog] PROG…</c>: PROG runs as the service while a checker polls (the tool's documented
/// design) <c>./data/check</c> or the -c command line until it succeeds, then writes a newline on
/// the notification descriptor (-3, else the one in <c>./notification-fd</c>). -s: wait before
/// the first check; -w: between checks (1 s); -t: one check's limit; -T: the whole limit; -n:
/// tries (7; 0 means without end). Times in ms. -d: the checker is a
/// grandchild (Corral's checker is a separate process either way).
/// </summary>
public sealed record NotifyOnCheckRequest(
    int? Fd, TimeSpan Initial, TimeSpan? Timeout, TimeSpan? CheckTimeout, TimeSpan Interval, int Tries, string? CheckCommand, ImmutableArray<string> Command)
{
    public const string Usage = "s6-notifyoncheck: usage: s6-notifyoncheck [ -d ] [ -3 fd ] [ -s initialsleep ] [ -T globaltimeout ] [ -t localtimeout ] [ -w waitingtime ] [ -n tries ] [ -c \"checkprog...\" ] prog...\n";

    public static (NotifyOnCheckRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var read = Subgetopt.Parse(args, "d3:s:T:t:w:n:c:");
        if (read.Error is { } error) return (null, error);
        int? fd = null;
        var (initial, interval, tries) = (TimeSpan.Zero, TimeSpan.FromSeconds(1), 7);
        TimeSpan? timeout = null, checkTimeout = null;
        string? check = null;
        foreach (var (letter, value) in read.Options)
        {
            uint n = 0;
            if (letter is '3' or 's' or 'T' or 't' or 'w' or 'n' && !uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out n))
                return (null, $"-{letter} needs a number, not '{value}'");
            switch (letter)
            {
                case '3': fd = (int)n; break;
                case 's': initial = TimeSpan.FromMilliseconds(n); break;
                case 'T': timeout = n == 0 ? null : TimeSpan.FromMilliseconds(n); break;
                case 't': checkTimeout = n == 0 ? null : TimeSpan.FromMilliseconds(n); break;
                case 'w': interval = TimeSpan.FromMilliseconds(n); break;
                case 'n': tries = (int)n; break;
                case 'c': check = value; break;
            }
        }
        if (read.Rest.IsEmpty) return (null, "no program");
        return (new NotifyOnCheckRequest(fd, initial, timeout, checkTimeout, interval, tries, check, [.. read.Rest]), null);
    }
}
