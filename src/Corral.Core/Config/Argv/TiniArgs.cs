using System.Collections.Immutable;
using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

/// <summary>
/// tini 0.19's command line, exactly: its flags (permuted like glibc getopt, so options after
/// the program are still read unless "--" comes first), its environment variables, its usage
/// text and its exit codes (0 for help, version and licence; 1 for any mistake).
/// </summary>
public static class TiniArgs
{
    public const string UpstreamVersion = "0.19.0";

    static readonly string[] pdeathSignals =
    [
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
        "SIGPROF", "SIGWINCH", "SIGSYS",
    ];

    public static string VersionLine(string corralVersion) => $"tini version {UpstreamVersion} - corral {corralVersion}";

    /// <param name="argv0">The name Corral was invoked as, for getopt's messages and the usage.</param>
    /// <param name="pid">Corral's pid, which tini prints in its log lines.</param>
    public static ArgvOutcome Read(string argv0, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, string corralVersion, int pid)
    {
        if (args.Count == 1 && args[0] == "--version")
            return new PrintAndExit(0, VersionLine(corralVersion) + "\n");

        var name = Path.GetFileName(argv0);
        var usage = Usage(name, corralVersion);
        var parsed = new GnuGetopt(argv0, "p:hvwgle:s").Parse(args, env.ContainsKey("POSIXLY_CORRECT"));

        var spec = new InitSpec { Command = [], Personality = Personality.Tini, ChildInheritsSignalState = true };
        var verbosity = 1;
        var success = ImmutableHashSet.CreateBuilder<int>();
        foreach (var (option, argument) in parsed.Options)
        {
            switch (option)
            {
                case 'h': return new PrintAndExit(0, usage);
                case 'l': return new PrintAndExit(0, License.Text);
                case 's': spec = spec with { Subreaper = true }; break;
                case 'v': verbosity++; break;
                case 'w': spec = spec with { WarnOnReap = true }; break;
                case 'g': spec = spec with { SignalGroup = true }; break;
                case 'p':
                    var index = Array.IndexOf(pdeathSignals, argument);
                    if (index < 0 || !Signals.TryParse(argument!, out var sig))
                        return new PrintAndExit(1, Stderr: Fatal(pid, $"Not a valid option for -p: {argument}"));
                    spec = spec with { ParentDeathSignal = sig };
                    break;
                case 'e':
                    if (!TryStrtol(argument!, out var code) || code is < 0 or > 255)
                        return new PrintAndExit(1, Stderr: Fatal(pid, $"Not a valid option for -e: {argument}"));
                    success.Add((int)code);
                    break;
            }
        }
        if (parsed.Error is { } error) return new PrintAndExit(1, Stderr: error + usage);
        if (parsed.Operands.Count == 0) return new PrintAndExit(1, Stderr: usage);

        // tini reads its environment after its flags; either way turns a feature on.
        if (env.ContainsKey("TINI_SUBREAPER")) spec = spec with { Subreaper = true };
        if (env.ContainsKey("TINI_KILL_PROCESS_GROUP")) spec = spec with { SignalGroup = true };
        if (env.TryGetValue("TINI_VERBOSITY", out var v)) verbosity = AtoI(v);

        return new RunInit(spec with
        {
            Command = [.. parsed.Operands],
            Verbosity = verbosity,
            ExitCodesAsSuccess = success.ToImmutable(),
        });
    }

    /// <summary>strtol(s, &amp;end, 10) with *end == '\0': leading blanks and a sign allowed, "" is 0.</summary>
    static bool TryStrtol(string s, out long value)
    {
        value = 0;
        var t = s.TrimStart(' ', '\t', '\n', '\r', '\f', '\v');
        if (t.Length == 0) return true;
        var digits = t[0] is '+' or '-' ? t[1..] : t;
        if (digits.Length == 0) return true;
        if (!digits.All(char.IsAsciiDigit)) return false;
        if (!long.TryParse(t, out value)) value = t[0] == '-' ? long.MinValue : long.MaxValue;
        return true;
    }

    /// <summary>C's atoi: leading digits (with sign), 0 when there are none.</summary>
    static int AtoI(string s)
    {
        s = s.TrimStart();
        var end = 0;
        if (end < s.Length && s[end] is '+' or '-') end++;
        while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
        return int.TryParse(s[..end], out var n) ? n : 0;
    }

    public static string Fatal(int pid, string message) => $"[FATAL tini ({pid})] {message}\n";

    public static string Usage(string name, string corralVersion) => $"""
        {name} ({VersionLine(corralVersion)})
        Usage: {name} [OPTIONS] PROGRAM -- [ARGS] | --version

        Execute a program under the supervision of a valid init process ({name})

        Command line options:

          --version: Show version and exit.
          -h: Show this help message and exit.
          -s: Register as a process subreaper (requires Linux >= 3.4).
          -p SIGNAL: Trigger SIGNAL when parent dies, e.g. "-p SIGKILL".
          -v: Generate more verbose output. Repeat up to 3 times.
          -w: Print a warning when processes are getting reaped.
          -g: Send signals to the child's process group.
          -e EXIT_CODE: Remap EXIT_CODE (from 0 to 255) to 0.
          -l: Show license and exit.

        Environment variables:

          TINI_SUBREAPER: Register as a process subreaper (requires Linux >= 3.4).
          TINI_VERBOSITY: Set the verbosity level (default: 1).
          TINI_KILL_PROCESS_GROUP: Send signals to the child's process group.


        """;
}
