using Corral.Core.Model.Services;
using Corral.Os.Logging;
using Corral.Runtime;

namespace Corral.Cli;

/// <summary><c>corral run</c> (supervise a config's services) and <c>corral check</c> (validate it).</summary>
public static class RunCommand
{
    const string RunUsage = """
        Usage: corral run [-c FILE] [--dry-run] [-v] [-q]

        Start the services of FILE in dependency order, keep them running, stop them in reverse
        order on SIGTERM/SIGINT or when a main service ends.
        FILE: -c, else $CORRAL_CONFIG, else ./corral.yaml, else /etc/corral/corral.yaml.

          -c, --config FILE   the config file
              --dry-run       check the config and print the start order, start nothing
          -v, --verbose       also Corral's debug messages
          -q, --quiet         only errors
          -h, --help          show this help

        """;

    const string CheckUsage = """
        Usage: corral check [-c FILE]

        Validate a config without running anything: print every problem with file and line,
        sorted by line, with warnings for programs, users, groups and directories missing here.
        Exit code 0 when the config has no errors (warnings allowed), 1 when it has errors,
        2 for a wrong option.

        """;

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env) => Execute(args, env, check: false);

    public static int Check(string[] args, IReadOnlyDictionary<string, string> env) => Execute(args, env, check: true);

    static int Execute(string[] args, IReadOnlyDictionary<string, string> env, bool check)
    {
        string? file = null;
        var dryRun = false;
        var verbosity = 1;
        var usage = check ? CheckUsage : RunUsage;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--config=", StringComparison.Ordinal)) { file = a[9..]; continue; }
            switch (a)
            {
                case "-c" or "--config" when i + 1 < args.Length: file = args[++i]; break;
                case "--dry-run" when !check: dryRun = true; break;
                case "-v" or "--verbose" when !check: verbosity++; break;
                case "-q" or "--quiet" when !check: verbosity = 0; break;
                case "-h" or "--help": StdIo.Out(usage); return 0;
                default:
                    StdIo.Err($"corral {(check ? "check" : "run")}: unknown or incomplete option '{a}'\n\n{usage}");
                    return 2;
            }
        }
        var path = ConfigFile.Find(file, env);
        if (path is null)
        {
            StdIo.Err("corral: no config file: give -c FILE, set CORRAL_CONFIG, or create ./corral.yaml\n");
            return 2;
        }
        var (plan, diagnostics) = ConfigFile.Load(path, env);
        foreach (var d in diagnostics) StdIo.Err($"corral: {d}\n");
        if (plan is null)
        {
            var errors = diagnostics.Count(d => d.Severity == Severity.Error);
            StdIo.Err($"corral: {path}: {errors} error{(errors == 1 ? "" : "s")}, nothing started\n");
            return check ? 1 : 2;
        }
        if (check)
        {
            StdIo.Out($"{path}: ok, {plan.StartOrder.Length} service{(plan.StartOrder.Length == 1 ? "" : "s")}\n");
            return 0;
        }
        if (dryRun)
        {
            StdIo.Out(StartOrderText(plan));
            return 0;
        }
        return new SupervisorRunner(plan, path, StatusFile.RunDirectory(env), new LogStyle(plan.Config, env, verbosity)).Run();
    }

    /// <summary>The start order, level by level: services on one level start in parallel.</summary>
    static string StartOrderText(Core.Planning.Plan plan)
    {
        var lines = new List<string> { "start order (services on one line start together):" };
        for (var i = 0; i < plan.Levels.Length; i++)
        {
            var names = plan.Levels[i].Select(n =>
            {
                var s = plan.Service(n);
                var tags = new List<string> { s.Type == ServiceType.Oneshot ? "oneshot" : "longrun" };
                if (s.Main) tags.Add("main");
                if (!s.DependsOn.IsEmpty) tags.Add("after " + string.Join(", ", s.DependsOn.Select(d => d.Service)));
                return $"{n} ({string.Join("; ", tags)})";
            });
            lines.Add($"  {i + 1}. {string.Join("  ", names)}");
        }
        return string.Join("\n", lines) + "\n";
    }
}
