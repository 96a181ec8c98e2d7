namespace Corral.Core.Config.Argv;

/// <summary>What <c>corral run</c> and <c>corral check</c> were asked: the config file (null: look for it), and run's extras.</summary>
public sealed record RunRequest(string? ConfigFile, bool DryRun, int Verbosity)
{
    /// <summary>--format s6 with --root DIR: an s6-overlay tree (DIR/etc/s6-overlay/s6-rc.d).</summary>
    public string? Format { get; init; }
    public string? Root { get; init; }

    /// <summary>--procfile FILE: the config is a Procfile (also when FILE is found by its name).</summary>
    public string? Procfile { get; init; }

    /// <summary>The Procfile's options as given: -m FORMATION, -p PORT, --can-die TYPE (repeatable), -e ENVFILE.</summary>
    public string? Formation { get; init; }
    public string? Port { get; init; }
    public System.Collections.Immutable.ImmutableArray<string> CanDie { get; init; } = [];
    public string? EnvFile { get; init; }
}

/// <summary>Reads <c>corral run [-c FILE] [--dry-run] [-v] [-q]</c> and <c>corral check [-c FILE]</c>.</summary>
public static class RunArgs
{
    static readonly CliOption config = CliOption.Valued('c', "config", "FILE", "the config file");
    static readonly CliOption[] procfile =
    [
        CliOption.Valued("procfile", "FILE", "run a Procfile (as foreman does); ./Procfile is found without it when there is no corral.yaml"),
        CliOption.Valued('m', "formation", "F", "Procfile: copies of each process type, e.g. web=2,worker=1 or all=2"),
        CliOption.Valued('p', "port", "PORT", "Procfile: the first PORT (else $PORT, else 5000; +100 per type, +1 per copy)"),
        CliOption.Valued("can-die", "TYPE", "Procfile: this type may end without stopping the others (repeatable)"),
        CliOption.Valued('e', "env", "FILE", "Procfile: the variables file (default: .env beside the Procfile)"),
        CliOption.Valued("format", "FORMAT", "s6: read an s6-overlay tree (with --root) instead of a file"),
        CliOption.Valued("root", "DIR", "with --format s6: the tree's root (DIR/etc/s6-overlay/s6-rc.d; default /)"),
    ];

    public static readonly OptionGrammar RunGrammar = new("corral run",
    [
        config,
        .. procfile,
        CliOption.Flag("dry-run", "check the config and print the start order, start nothing"),
        CliOption.Flag('v', "verbose", "also Corral's debug messages"),
        CliOption.Flag('q', "quiet", "only errors"),
        CliOption.HelpOption,
    ]);

    public static readonly OptionGrammar CheckGrammar = new("corral check", [config, .. procfile, CliOption.HelpOption]);

    public static string RunUsage => field ??= $"""
        Usage: corral run [-c FILE] [--dry-run] [-v] [-q]

        Start the services of FILE in dependency order, keep them running, stop them in reverse
        order on SIGTERM/SIGINT or when a main service ends.
        FILE: -c, else $CORRAL_CONFIG, else ./corral.yaml, else /etc/corral/corral.yaml, else
        ./Procfile (run as foreman runs it: all processes stop when one ends). FILE may also be a
        supervisord.conf, told apart by its [sections].

        {RunGrammar.Describe()}
        """;

    public static string CheckUsage => field ??= $"""
        Usage: corral check [-c FILE]

        Validate a config without running anything: print every problem with file and line,
        sorted by line, with warnings for programs, users, groups and directories missing here.
        Exit code 0 when the config has no errors (warnings allowed), 1 when it has errors,
        2 for a wrong option.
        FILE: -c, else $CORRAL_CONFIG, else ./corral.yaml, else /etc/corral/corral.yaml.
        FILE may also be a supervisord.conf, told apart by its [sections].

        {CheckGrammar.Describe()}
        """;

    public static ArgvOutcome<RunRequest> Read(IReadOnlyList<string> args, bool check)
    {
        var grammar = check ? CheckGrammar : RunGrammar;
        var usage = check ? CheckUsage : RunUsage;
        var parsed = grammar.Parse(args);
        var verbosity = 1;
        foreach (var o in parsed.Options)
        {
            switch (o.Name)
            {
                case "help": return ArgvOutcome<RunRequest>.Print(0, usage);
                case "verbose": verbosity++; break;
                case "quiet": verbosity = 0; break;
            }
        }
        var error = parsed.Error
            ?? (parsed.Operands.Count > 0 ? $"{grammar.Command}: unexpected argument '{parsed.Operands[0]}' (the config is given with -c FILE)" : null);
        if (error is not null) return ArgvOutcome<RunRequest>.Print(2, stderr: $"{error}\n\n{usage}");
        return ArgvOutcome<RunRequest>.Run(new RunRequest(parsed.Last("config"), parsed.Has("dry-run"), verbosity)
        {
            Procfile = parsed.Last("procfile"),
            Formation = parsed.Last("formation"),
            Port = parsed.Last("port"),
            CanDie = parsed.Has("can-die") ? [.. parsed.Options.Where(o => o.Name == "can-die").Select(o => o.Value!)] : [],
            EnvFile = parsed.Last("env"),
            Format = parsed.Last("format"),
            Root = parsed.Last("root"),
        });
    }
}
