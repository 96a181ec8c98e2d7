namespace Corral.Core.Config.Argv;

/// <summary>What supervisord's command line asked: the config file (null: search supervisord's places), and notes for stderr.</summary>
public sealed record SupervisordRequest(string? ConfigFile, IReadOnlyList<string> Notes);

/// <summary>
/// Corral invoked as <c>supervisord</c> (a symlink): supervisord 4's command line, so that
/// <c>CMD ["/usr/bin/supervisord", "-n"]</c> images run unchanged. -c is the config; the
/// options that only shape supervisord's own daemon or log are accepted with a note; the ones
/// that would change how programs run (-u, -m) or that Corral has no equivalent for (-r) are
/// refused, so nothing differs silently.
/// </summary>
public static class SupervisordArgs
{
    public static readonly OptionGrammar Grammar = new("supervisord",
    [
        CliOption.Valued('c', "configuration", "FILE", "configuration file"),
        CliOption.Flag('n', "nodaemon", "run in the foreground (accepted: Corral never daemonizes)"),
        CliOption.Flag('s', "silent", "accepted; Corral's own messages go to stderr"),
        CliOption.HelpOption,
        CliOption.Flag('v', "version", "print Corral's version"),
        CliOption.Valued('u', "user", "USER", "refused: run the container as that user (docker run --user)"),
        CliOption.Valued('m', "umask", "UMASK", "refused: set umask= in [supervisord] or [program:x]"),
        CliOption.Valued('d', "directory", "DIR", "accepted, no effect (supervisord uses it only when it daemonizes)"),
        CliOption.Valued('l', "logfile", "FILE", "accepted, not implemented: Corral logs to stderr"),
        CliOption.Valued('y', "logfile_maxbytes", "BYTES", "accepted, not implemented (see -l)"),
        CliOption.Valued('z', "logfile_backups", "NUM", "accepted, not implemented (see -l)"),
        CliOption.Valued('e', "loglevel", "LEVEL", "accepted, not implemented"),
        CliOption.Valued('j', "pidfile", "FILE", "accepted, not implemented: use pidfile= in [supervisord]"),
        CliOption.Valued('i', "identifier", "STR", "accepted, not implemented"),
        CliOption.Valued('q', "childlogdir", "DIR", "accepted, not implemented: AUTO logs go to Corral's output"),
        CliOption.Flag('k', "nocleanup", "accepted, no effect"),
        CliOption.Valued('a', "minfds", "NUM", "accepted, not implemented: use docker run --ulimit"),
        CliOption.Valued("minprocs", "NUM", "accepted, not implemented: use docker run --ulimit"),
        CliOption.Flag('t', "strip_ansi", "accepted, not implemented"),
        CliOption.Valued('r', "profile_options", "OPTS", "refused: no Python profiler here"),
    ]);

    public static string Usage => field ??= $"""
        Usage: supervisord [options]

        Corral, invoked as supervisord: reads supervisord.conf and runs its programs, as
        `corral run -c FILE` does. Without -c, the first of ../etc/supervisord.conf and
        ../supervisord.conf (next to this executable), ./supervisord.conf, ./etc/supervisord.conf,
        /etc/supervisord.conf, /etc/supervisor/supervisord.conf.

        {Grammar.Describe()}
        """;

    /// <summary>The places supervisord looks for its config, in order; <paramref name="executableDirectory"/> is where it was started from.</summary>
    public static IReadOnlyList<string> DefaultPlaces(string executableDirectory) =>
    [
        Path.Combine(executableDirectory, "../etc/supervisord.conf"),
        Path.Combine(executableDirectory, "../supervisord.conf"),
        "supervisord.conf",
        "etc/supervisord.conf",
        "/etc/supervisord.conf",
        "/etc/supervisor/supervisord.conf",
    ];

    public static ArgvOutcome<SupervisordRequest> Read(IReadOnlyList<string> args, string version)
    {
        var parsed = Grammar.Parse(args);
        var notes = new List<string>();
        foreach (var o in parsed.Options)
        {
            switch (o.Name)
            {
                case "help": return ArgvOutcome<SupervisordRequest>.Print(0, Usage);
                case "version": return ArgvOutcome<SupervisordRequest>.Print(0, $"corral {version} (as supervisord)\n");
                case "user" or "umask" or "profile_options":
                    return ArgvOutcome<SupervisordRequest>.Print(2, stderr:
                        $"supervisord (corral): {o.Spelling} is not supported: {o.Option.Help[("refused: ".Length)..]}\n");
                case "configuration" or "nodaemon" or "silent":
                    break;
                default:
                    notes.Add($"supervisord (corral): {o.Spelling} {o.Option.Help}");
                    break;
            }
        }
        var error = parsed.Error
            ?? (parsed.Operands.Count > 0 ? $"supervisord: positional arguments are not supported: {string.Join(" ", parsed.Operands)}" : null);
        if (error is not null) return ArgvOutcome<SupervisordRequest>.Print(2, stderr: $"{error}\n\n{Usage}");
        return ArgvOutcome<SupervisordRequest>.Run(new SupervisordRequest(parsed.Last("configuration"), notes));
    }
}
