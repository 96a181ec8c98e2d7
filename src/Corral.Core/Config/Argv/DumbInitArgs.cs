using System.Collections.Immutable;
using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

/// <summary>
/// dumb-init 1.2.5's command line, exactly: options only before the program (getopt "+"),
/// long and short forms, -r s:r rewrites (1–31 to 0–31, read like sscanf "%d:%d"),
/// DUMB_INIT_SETSID=0 and DUMB_INIT_DEBUG, help and version on stderr, 1 for any mistake.
/// </summary>
public static class DumbInitArgs
{
    public const string UpstreamVersion = "1.2.5";
    const int MaxSignal = 31;

    static readonly GnuGetopt.LongOption[] longOptions =
    [
        new("single-child", false, 'c'),
        new("help", false, 'h'),
        new("rewrite", true, 'r'),
        new("verbose", false, 'v'),
        new("version", false, 'V'),
    ];

    public static string VersionLine => $"dumb-init v{UpstreamVersion}";

    public static ArgvOutcome Read(string argv0, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env)
    {
        var parsed = new GnuGetopt(argv0, "+hvVcr:", longOptions).Parse(args);

        var setsid = true;
        var debug = false;
        var rewrites = ImmutableDictionary.CreateBuilder<int, int>();
        foreach (var (option, argument) in parsed.Options)
        {
            switch (option)
            {
                case 'h': return new PrintAndExit(0, Stderr: Help(argv0));
                case 'V': return new PrintAndExit(0, Stderr: VersionLine + "\n");
                case 'v': debug = true; break;
                case 'c': setsid = false; break;
                case 'r':
                    if (!TryRewrite(argument!, out var from, out var to))
                        return new PrintAndExit(1, Stderr:
                            $"Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and {MaxSignal}.\n" +
                            "This option can be specified multiple times.\n" +
                            "Use --help for full usage.\n");
                    rewrites[from] = to;
                    break;
            }
        }
        if (parsed.Error is { } error) return new PrintAndExit(1, Stderr: error);
        if (parsed.Operands.Count == 0)
            return new PrintAndExit(1, Stderr: $"Usage: {argv0} [option] program [args]\nTry {argv0} --help for full usage.\n");
        // Only the exact values count, and each says so in debug mode.
        var notice = "";
        if (env.TryGetValue("DUMB_INIT_DEBUG", out var d) && d == "1")
        {
            debug = true;
            notice += "[dumb-init] Running in debug mode.\n";
        }
        if (env.TryGetValue("DUMB_INIT_SETSID", out var s) && s == "0")
        {
            setsid = false;
            if (debug) notice += "[dumb-init] Not running in setsid mode.\n";
        }

        return new RunInit(new InitSpec
        {
            Command = [.. parsed.Operands],
            Personality = Personality.DumbInit,
            Grouping = setsid ? ProcessGrouping.NewSession : ProcessGrouping.Inherit,
            SignalGroup = setsid,
            // In setsid mode Ctrl-Z and friends become SIGSTOP for the group, unless rewritten;
            // in either mode dumb-init then stops itself.
            JobControlBecomesStop = setsid,
            JobControlStopsSelf = true,
            ChdirToRoot = true,
            Rewrites = rewrites.ToImmutable(),
            TermOnChildExit = true,
            ExecFailureExitCode = 2,
            Verbosity = debug ? 3 : 1,
        }, notice);
    }

    /// <summary>sscanf("%d:%d") with dumb-init's ranges; anything after the second number is ignored.</summary>
    static bool TryRewrite(string text, out int from, out int to)
    {
        to = 0;
        var at = 0;
        if (!ScanInt(text, ref at, out from) || at >= text.Length || text[at] != ':') return false;
        at++;
        if (!ScanInt(text, ref at, out to)) return false;
        return from is >= 1 and <= MaxSignal && to is >= 0 and <= MaxSignal;
    }

    static bool ScanInt(string s, ref int at, out int value)
    {
        value = 0;
        while (at < s.Length && char.IsWhiteSpace(s[at])) at++;
        var start = at;
        if (at < s.Length && s[at] is '+' or '-') at++;
        var digits = at;
        while (at < s.Length && char.IsAsciiDigit(s[at])) at++;
        if (at == digits) return false;
        return int.TryParse(s[start..at], out value);
    }

    public static string Help(string argv0) => $"""
        {VersionLine}
        Usage: {argv0} [option] command [[arg] ...]

        dumb-init is a simple process supervisor that forwards signals to children.
        It is designed to run as PID1 in minimal container environments.

        Optional arguments:
           -c, --single-child   Run in single-child mode.
                                In this mode, signals are only proxied to the
                                direct child and not any of its descendants.
           -r, --rewrite s:r    Rewrite received signal s to new signal r before proxying.
                                To ignore (not proxy) a signal, rewrite it to 0.
                                This option can be specified multiple times.
           -v, --verbose        Print debugging information to stderr.
           -h, --help           Print this help message and exit.
           -V, --version        Print the current version and exit.

        Full help is available online at https://github.com/Yelp/dumb-init

        """;
}
