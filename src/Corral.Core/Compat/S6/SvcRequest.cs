using System.Collections.Immutable;

namespace Corral.Core.Compat.S6;

/// <summary>
/// <c>s6-svc [-abqhkti12pcyrPCKuxOdDwu…] [-T ms] SERVICEDIR…</c>: the commands in the order given
/// (each a letter: u up, d down, r restart, o once, O once-at-most, x exit, and the signal letters),
/// then an optional wait (<c>-w</c> followed by u, U, d, D, r or R) bounded by <c>-T</c>.
/// </summary>
public sealed record SvcRequest(string Commands, char? WaitFor, TimeSpan? Timeout, ImmutableArray<string> Services)
{
    public const string Usage = "s6-svc: usage: s6-svc [ -wu | -wU | -wd | -wD | -wr | -wR ] [ -T timeout ] [ -abqhkti12pcyroduxOQ ] servicedir...\n";

    /// <summary>The signal each signal letter sends, as s6-svc documents them.</summary>
    public static readonly IReadOnlyDictionary<char, string> SignalLetters = new Dictionary<char, string>
    {
        ['a'] = "ALRM", ['b'] = "ABRT", ['q'] = "QUIT", ['h'] = "HUP", ['k'] = "KILL", ['t'] = "TERM",
        ['i'] = "INT", ['1'] = "USR1", ['2'] = "USR2", ['p'] = "STOP", ['c'] = "CONT", ['y'] = "WINCH",
    };

    public static (SvcRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var read = Subgetopt.Parse(args, "abqhkti12pcyroduxOQw:T:");
        if (read.Error is { } error) return (null, error);
        var commands = new System.Text.StringBuilder();
        char? wait = null;
        TimeSpan? timeout = null;
        foreach (var (letter, value) in read.Options)
        {
            switch (letter)
            {
                case 'w':
                    if (value is not { Length: 1 } || "uUdDrR".IndexOf(value[0]) < 0) return (null, $"-w needs one of u, U, d, D, r, R, not '{value}'");
                    wait = value[0];
                    break;
                case 'T':
                    if (!Milliseconds.TryParse(value!, out timeout)) return (null, $"-T needs milliseconds, not '{value}'");
                    break;
                case 'Q': commands.Append('O'); break;
                default: commands.Append(letter); break;
            }
        }
        if (read.Rest.IsEmpty) return (null, "no service directory");
        return (new SvcRequest(commands.ToString(), wait, timeout, [.. read.Rest.Select(ServiceDirectory.NameOf)]), null);
    }
}
