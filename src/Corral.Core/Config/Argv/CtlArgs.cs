using System.Text;
using Corral.Core.Model;

namespace Corral.Core.Config.Argv;

/// <summary>
/// What <c>corral ctl</c> was asked: the verb, its names, its options, and where Corral is
/// (null: the default places, which only the executable can look at).
/// </summary>
public sealed record CtlRequest(string Verb, IReadOnlyList<string> Names)
{
    public string? Socket { get; init; }
    public string? Config { get; init; }
    public string? Url { get; init; }
    public string? User { get; init; }

    /// <summary>signal: the signal as given (HUP, SIGUSR1, 15).</summary>
    public string? Signal { get; init; }

    public bool Json { get; init; }
    public bool Follow { get; init; }
    public int Lines { get; init; } = 100;

    /// <summary>scale: the number of copies.</summary>
    public int Replicas { get; init; }
    /// <summary>logs --reopen: close and reopen every log file instead of showing lines.</summary>
    public bool Reopen { get; init; }

    /// <summary>wait: ready, running or healthy.</summary>
    public string Condition { get; init; } = "ready";

    /// <summary>wait: the timeout as given (the server reads it too), and as read.</summary>
    public string Timeout { get; init; } = "30s";
    public TimeSpan TimeoutLimit { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>One verb of ctl: its synopsis and summary for the help, and its own options.</summary>
public sealed record CtlVerb(string Name, string Synopsis, string Summary, IReadOnlyList<CliOption> Options);

/// <summary>
/// Reads <c>corral ctl [OPTIONS] VERB [ARGS…]</c>. The options that say where Corral is may come
/// before or after the verb; a verb's own options anywhere after it.
/// </summary>
public static class CtlArgs
{
    static readonly CliOption[] connection =
    [
        CliOption.Valued('s', "socket", "PATH", "the control socket (else $CORRAL_SOCKET, else the config's\ncontrol.socket with -c/$CORRAL_CONFIG, else /run/corral/corral.sock\nor $CORRAL_RUN_DIR/corral.sock)"),
        CliOption.Valued('c', "config", "FILE", "read the socket's path from this config"),
        CliOption.Valued("url", "URL", "talk HTTP over TCP instead (control.tcp), e.g. http://127.0.0.1:9100"),
        CliOption.Valued("user", "USER:PASS", "credentials for --url (else $CORRAL_CTL_USER)"),
        CliOption.HelpOption,
    ];

    static readonly CliOption json = CliOption.Flag("json", "the API's JSON instead of text");

    public static readonly IReadOnlyList<CtlVerb> Verbs =
    [
        new("status", "status [--json] [NAME...]", "services with state, pid, uptime, restarts, last exit", [json]),
        new("start", "start NAME...|all", "start stopped, failed or finished services", []),
        new("stop", "stop NAME...|all", "stop services; they stay down until start", []),
        new("restart", "restart NAME...|all", "stop, then start again", []),
        new("signal", "signal SIGNAL NAME...|all", "send a signal (HUP, USR1, 15, ...) to services' process groups\n(NAME: a service, or a group of them: web or web:*)", []),
        new("logs", "logs [-f] [-n N] [--json] [NAME...] | --reopen", "recent lines (default 100), -f: then follow new ones;\n--reopen: reopen the log files (after logrotate)",
        [
            CliOption.Flag("reopen", "close and reopen every log file by its path (after logrotate moved them)"),
            CliOption.Flag('f', "follow", "then follow new lines until Ctrl-C or Corral's exit"),
            CliOption.Valued('n', "lines", "N", "the last N lines of each service (default 100)"),
            json,
        ]),
        new("wait", "wait NAME... [--ready|--running|--healthy] [--timeout D]", "block until the services are ready (default), running or healthy",
        [
            CliOption.Flag("ready", "until they are ready (the default)"),
            CliOption.Flag("running", "until they are running"),
            CliOption.Flag("healthy", "until they are healthy"),
            CliOption.Valued('t', "timeout", "D", "give up after D (default 30s), exit code 124"),
        ]),
        new("scale", "scale NAME N", "run N copies of a service declared with replicas", []),
        new("reload", "reload", "re-read the config; apply only what changed", []),
        new("shutdown", "shutdown", "stop every service and exit, as SIGTERM to Corral", []),
    ];

    /// <summary>Before the verb: only where Corral is, and help.</summary>
    public static readonly OptionGrammar Grammar = new("corral ctl", connection, optionsEndAtFirstOperand: true);

    static readonly Dictionary<string, OptionGrammar> verbGrammars =
        Verbs.ToDictionary(v => v.Name, v => new OptionGrammar($"corral ctl {v.Name}", [.. v.Options, .. connection]));

    public static string Usage => field ??= $"""
        Usage: corral ctl [OPTIONS] VERB [ARGS...]

        Control a running `corral run` through its control socket.

        Verbs:
        {VerbList()}
        Options (before or after the verb):
        {Grammar.Describe()}
        {VerbOptions()}Exit codes: 0 done; 1 refused or failed; 2 usage; 3 (status) a service is not up as it
        should be; 4 Corral not reachable; 124 (wait) timed out.

        """;

    /// <summary>`corral ctl VERB --help`: the verb's synopsis and every option it reads.</summary>
    public static string VerbUsage(string verb)
    {
        var v = Verbs.First(v => v.Name == verb);
        return $"Usage: corral ctl [OPTIONS] {v.Synopsis}\n\n{v.Summary}\n\nOptions:\n{verbGrammars[verb].Describe()}\n";
    }

    static string VerbList()
    {
        const int column = 35;
        var b = new StringBuilder();
        foreach (var v in Verbs)
        {
            var left = "  " + v.Synopsis;
            if (left.Length + 1 > column)
            {
                b.Append(left).Append('\n');
                left = "";
            }
            foreach (var line in v.Summary.Split('\n'))
            {
                b.Append(left.PadRight(column)).Append(line).Append('\n');
                left = "";
            }
        }
        return b.ToString();
    }

    static string VerbOptions() => string.Concat(Verbs.Where(v => v.Options.Count > 0)
        .Select(v => $"Options of {v.Name}:\n{new OptionGrammar("", v.Options).Describe()}\n"));

    public static ArgvOutcome<CtlRequest> Read(IReadOnlyList<string> args)
    {
        var before = Grammar.Parse(args);
        if (before.Has("help")) return ArgvOutcome<CtlRequest>.Print(0, Usage);
        if (before.Error is { } error) return Fail(error);
        if (before.Operands.Count == 0) return Fail("corral ctl: missing verb");
        var verb = before.Operands[0];
        // A wrong verb is the caller's mistake whether or not a Corral is running.
        if (!verbGrammars.TryGetValue(verb, out var grammar))
        {
            var hint = EditDistance.Closest(verb, Verbs.Select(v => v.Name)) is { } close ? $"; did you mean '{close}'?" : "";
            return Fail($"corral ctl: unknown verb '{verb}'{hint}");
        }
        var after = grammar.Parse([.. before.Operands.Skip(1)]);
        if (after.Has("help")) return ArgvOutcome<CtlRequest>.Print(0, VerbUsage(verb));
        if (after.Error is { } verbError) return ArgvOutcome<CtlRequest>.Print(2, stderr: $"{verbError}\n\n{VerbUsage(verb)}");

        var request = new CtlRequest(verb, after.Operands);
        foreach (var (option, value, spelling) in before.Options.Concat(after.Options))
        {
            switch (option.Name)
            {
                case "socket": request = request with { Socket = value }; break;
                case "config": request = request with { Config = value }; break;
                case "url": request = request with { Url = value }; break;
                case "user": request = request with { User = value }; break;
                case "json": request = request with { Json = true }; break;
                case "follow": request = request with { Follow = true }; break;
                case "reopen": request = request with { Reopen = true }; break;
                case "ready" or "running" or "healthy": request = request with { Condition = option.Name }; break;
                case "lines":
                    if (!int.TryParse(value, out var n) || n < 0) return Fail($"corral ctl: logs: {spelling} wants a number of lines, not '{value}'");
                    request = request with { Lines = n };
                    break;
                case "timeout":
                    if (!Durations.TryParse(value!, out var limit)) return Fail($"corral ctl: wait: {spelling} wants a duration such as 10s, not '{value}'");
                    request = request with { Timeout = value!, TimeoutLimit = limit };
                    break;
            }
        }
        var names = after.Operands;
        switch (verb)
        {
            case "start" or "stop" or "restart" when names.Count == 0:
                return Fail($"corral ctl: {verb}: name at least one service, or all");
            case "signal" when names.Count < 2:
                return Fail("corral ctl: signal: give a signal and at least one service (or all)");
            case "signal" when !Signals.TryParse(names[0], out _):
                return Fail($"corral ctl: signal: unknown signal '{names[0]}'");
            case "signal":
                return ArgvOutcome<CtlRequest>.Run(request with { Signal = names[0], Names = [.. names.Skip(1)] });
            case "scale" when names.Count != 2 || !int.TryParse(names[1], out var count) || count is < 0 or > 1000:
                return Fail("corral ctl: scale: give a service and a number of copies from 0 to 1000 (scale web 3)");
            case "scale":
                return ArgvOutcome<CtlRequest>.Run(request with { Names = [names[0]], Replicas = int.Parse(names[1], System.Globalization.CultureInfo.InvariantCulture) });
            case "logs" when request.Reopen && (names.Count > 0 || request.Follow):
                return Fail(names.Count > 0 ? $"corral ctl: logs --reopen reopens every log file: unexpected '{names[0]}'" : "corral ctl: logs: --reopen and --follow do not go together");
            case "reload" or "shutdown" when names.Count > 0:
                return Fail($"corral ctl: {verb}: unexpected '{names[0]}'");
        }
        return ArgvOutcome<CtlRequest>.Run(request);
    }

    static ArgvOutcome<CtlRequest> Fail(string message) => ArgvOutcome<CtlRequest>.Print(2, stderr: $"{message}\n\n{Usage}");
}
