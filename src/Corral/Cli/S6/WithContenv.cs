using Corral.Core.Compat.S6;
using Corral.Core.Config.S6;
using Corral.Os.Pid1;

namespace Corral.Cli.S6;

/// <summary>
/// <c>with-contenv PROG…</c>: PROG with the container environment, as s6-overlay's script does
/// (<c>s6-envdir -Lfn</c> on /run/s6/container_environment, or nothing with S6_KEEP_ENV=1). The
/// directory is under $CORRAL_S6_ROOT when Corral runs an s6 tree with --root. Without the
/// directory (a root Corral could not write), PROG gets this process's environment.
/// </summary>
public static class WithContenv
{
    const string Name = "with-contenv";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        if (args.Length == 0) return S6Tools.Usage(Name, "no program", "with-contenv: usage: with-contenv prog...\n");
        if (S6Environment.KeepEnv(env)) return S6Tools.Exec(Name, S6Tools.Command(args));
        var root = env.GetValueOrDefault("CORRAL_S6_ROOT") is { Length: > 0 } r ? r : "/";
        var dir = Path.Combine(root, ContainerEnvironment.Directory);
        var files = new List<(string, string)>();
        try
        {
            if (Directory.Exists(dir))
                foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                    files.Add((Path.GetFileName(file), File.ReadAllText(file)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return S6Tools.Fatal(Name, $"unable to read {dir}: {Os.Logging.Problems.Describe(e)}");
        }
        var environment = ContainerEnvironment.Apply(ProcessEnvironment.Snapshot(), files);
        return S6Tools.Exec(Name, S6Tools.Command(args, [.. environment]));
    }
}
