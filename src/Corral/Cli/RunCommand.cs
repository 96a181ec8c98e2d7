using Corral.Core.Config.Argv;
using Corral.Core.Model.Services;
using Corral.Os.Logging;
using Corral.Runtime;

namespace Corral.Cli;

/// <summary><c>corral run</c> (supervise a config's services) and <c>corral check</c> (validate it).</summary>
public static class RunCommand
{
    public static int Run(string[] args, IReadOnlyDictionary<string, string> env) => Execute(args, env, check: false);

    public static int Check(string[] args, IReadOnlyDictionary<string, string> env) => Execute(args, env, check: true);

    static int Execute(string[] args, IReadOnlyDictionary<string, string> env, bool check)
    {
        var read = RunArgs.Read(args, check);
        if (read.Message is { } message)
        {
            StdIo.Out(message.Stdout);
            StdIo.Err(message.Stderr);
            return message.Code;
        }
        var request = read.Spec!;
        var (file, dryRun, verbosity) = request;
        if (request.Format is { } format && format != "s6")
        {
            StdIo.Err($"corral: --format: '{format}' is not a format to name (s6; corral.yaml, supervisord.conf and Procfile are recognised by themselves)\n");
            return 2;
        }
        if (request.Root is not null && request.Format is null)
        {
            StdIo.Err("corral: --root is for --format s6\n");
            return 2;
        }
        if (request.Format == "s6")
        {
            var root = request.Root ?? "/";
            if (!check && !dryRun) Config.S6Tree.WriteContainerEnvironment(root, env);
            return Start(request, root, () => Config.S6Tree.Load(root, env), env, check);
        }
        var path = request.Procfile ?? Config.ConfigFile.Find(file, env);
        if (path is null)
        {
            StdIo.Err("corral: no config file: give -c FILE, set CORRAL_CONFIG, or create ./corral.yaml (or a Procfile)\n");
            return 2;
        }
        var procfile = request.Procfile is not null || Config.ProcfileFile.IsProcfile(path);
        if (!procfile && (request.Formation ?? request.Port ?? request.EnvFile) is not null || !procfile && request.CanDie.Length > 0)
        {
            StdIo.Err($"corral: -m, -p, --can-die and -e are for a Procfile, and {path} is not one (use --procfile FILE)\n");
            return 2;
        }
        // The same loader serves every reload (SIGHUP, ctl reload), with the options given now.
        Func<(Core.Planning.Plan?, IReadOnlyList<Diagnostic>)> load = procfile
            ? () => Config.ProcfileFile.Load(path, request, env)
            : () => Config.ConfigFile.Load(path, env);
        return Start(request, path, load, env, check);
    }

    static int Start(RunRequest request, string path, Func<(Core.Planning.Plan?, IReadOnlyList<Diagnostic>)> load, IReadOnlyDictionary<string, string> env, bool check)
    {
        var (_, dryRun, verbosity) = request;
        var (plan, diagnostics) = load();
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
        var pidFile = plan.Config.PidFile;
        if (pidFile is not null) WritePidFile(pidFile);
        try { return new SupervisorRunner(plan, path, load, Config.RunDirectory.Of(env), new LogStyle(plan.Config, env, verbosity)).Run(); }
        finally { if (pidFile is not null) RemovePidFile(pidFile); }
    }

    /// <summary>supervisord.conf's pidfile: Corral's pid while it runs, removed when it ends, as supervisord does.</summary>
    static void WritePidFile(string path)
    {
        try { File.WriteAllText(path, $"{Os.Pid1.ProcessIdentity.Pid}\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StdIo.Err($"corral: warning: cannot write the pid file {path}: {Problems.Describe(e)}\n");
        }
    }

    static void RemovePidFile(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
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
