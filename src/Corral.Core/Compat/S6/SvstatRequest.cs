using System.Collections.Immutable;

namespace Corral.Core.Compat.S6;

/// <summary>
/// <c>s6-svstat [-uwNrpest | -o FIELD,…] [-n] SERVICEDIR</c>: no fields for the human summary,
/// otherwise the fields to print, space-separated on one line, in the order asked.
/// </summary>
public sealed record SvstatRequest(ImmutableArray<string> Fields, bool NumericSignals, string Service)
{
    public const string Usage = "s6-svstat: usage: s6-svstat [ -uwNrpest | -o up,wantedup,normallyup,ready,paused,pid,pgid,exitcode,signal,signum,updownsince,readysince,updownfor,readyfor ] [ -n ] servicedir\n";

    public static readonly ImmutableArray<string> KnownFields =
        ["up", "wantedup", "normallyup", "ready", "paused", "pid", "pgid", "exitcode", "signal", "signum", "updownsince", "readysince", "updownfor", "readyfor"];

    static readonly Dictionary<char, string> Letters = new()
    {
        ['u'] = "up", ['w'] = "wantedup", ['N'] = "normallyup", ['r'] = "ready",
        ['p'] = "pid", ['e'] = "exitcode", ['s'] = "signal", ['t'] = "updownfor",
    };

    public static (SvstatRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var read = Subgetopt.Parse(args, "uwNrpestno:");
        if (read.Error is { } error) return (null, error);
        var fields = new List<string>();
        var numeric = false;
        foreach (var (letter, value) in read.Options)
        {
            if (letter == 'n') numeric = true;
            else if (letter == 'o')
            {
                foreach (var f in value!.Split(','))
                {
                    if (!KnownFields.Contains(f)) return (null, $"unknown field '{f}'");
                    fields.Add(f);
                }
            }
            else fields.Add(Letters[letter]);
        }
        if (read.Rest.Length != 1) return (null, read.Rest.IsEmpty ? "no service directory" : "one service directory only");
        return (new SvstatRequest([.. fields], numeric, ServiceDirectory.NameOf(read.Rest[0])), null);
    }
}
