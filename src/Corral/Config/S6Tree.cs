using Corral.Core.Compat.S6;
using Corral.Core.Config.S6;
using Corral.Core.Model.Services;
using Corral.Core.Planning;
using Corral.Os.Logging;

namespace Corral.Config;

/// <summary>
/// Reads an s6-overlay v3 tree (ROOT/etc/s6-overlay/s6-rc.d/NAME/…) for <c>corral run --format s6
/// --root ROOT</c> and compiles it: every definition directory with its files, as s6-rc-compile
/// reads them (small files; a definition's scripts are run, not read, but their presence counts).
/// </summary>
public static class S6Tree
{
    public const string Source = "etc/s6-overlay/s6-rc.d";

    public static (Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics) Load(string root, IReadOnlyDictionary<string, string> env) =>
        Load(root, env, S6Options.From(env), []);

    /// <summary>As /init reads it: with the S6_* settings and the image's CMD (none: empty).</summary>
    public static (Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics) Load(string root, IReadOnlyDictionary<string, string> env, S6Options options, System.Collections.Immutable.ImmutableArray<string> cmd)
    {
        var full = Path.GetFullPath(root);
        var dir = Path.Combine(full, Source);
        try
        {
            var definitions = Definitions(dir);
            var legacy = Definitions(Path.Combine(full, "etc/services.d"));
            var contInit = Scripts(Path.Combine(full, "etc/cont-init.d"));
            var contFinish = Scripts(Path.Combine(full, "etc/cont-finish.d"));
            if (definitions.Count == 0 && legacy.Count == 0 && contInit.Count == 0 && cmd.IsDefaultOrEmpty)
                return (null, [new Diagnostic(new SourceLocation(dir, 0), "", "no s6-overlay services here (etc/s6-overlay/s6-rc.d, etc/services.d, etc/cont-init.d are empty or missing)")]);
            var (config, diagnostics) = S6RcReader.Read(definitions, dir, contInit, legacy, contFinish, options, cmd);
            if (config is null) return (null, diagnostics);
            // fix-attrs is deprecated in s6-overlay v3 and not applied: said, never dropped silently.
            var fixAttrs = Scripts(Path.Combine(full, "etc/fix-attrs.d")).Select(f => new Diagnostic(new SourceLocation(f, 1), "",
                "fix-attrs.d is not applied by Corral (deprecated by s6-overlay v3): set ownership and modes in the image", Severity.Warning));
            // The default control socket (no config names another in s6 mode), for the helper commands.
            config = S6Environment.Apply(config, env, Path.Combine(RunDirectory.Of(env), "corral.sock"), root == "/" ? "/" : full);
            var (plan, compiled) = PlanCompiler.Compile(config);
            return (plan, Diagnostic.InFileOrder([.. diagnostics, .. fixAttrs, .. compiled, .. HostChecks.Check(config, env)]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new Diagnostic(new SourceLocation(dir, 0), "", $"cannot read the s6-overlay tree: {Problems.Describe(e)}")]);
        }
    }

    /// <summary>
    /// Writes ROOT/run/s6/container_environment from Corral's own start-up environment, as
    /// s6-overlay does at boot (files replaced, stale ones removed); a warning when it cannot
    /// (a read-only root): with-contenv then passes its own environment on.
    /// </summary>
    public static void WriteContainerEnvironment(string root, IReadOnlyDictionary<string, string> env)
    {
        var dir = Path.Combine(Path.GetFullPath(root), ContainerEnvironment.Directory);
        try
        {
            Directory.CreateDirectory(dir);
            var files = ContainerEnvironment.Files(env);
            var names = files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in Directory.EnumerateFiles(dir).Where(f => !names.Contains(Path.GetFileName(f)))) File.Delete(stale);
            foreach (var (name, value) in files) File.WriteAllText(Path.Combine(dir, name), value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StdIo.Err($"corral: warning: cannot write the container environment to {dir}: {Problems.Describe(e)} (with-contenv will pass its own environment on)\n");
        }
    }

    /// <summary>Each directory under dir with its files (none when dir does not exist).</summary>
    static List<S6Definition> Definitions(string dir)
    {
        var definitions = new List<S6Definition>();
        if (!Directory.Exists(dir)) return definitions;
        foreach (var service in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFileSystemEntries(service, "*", SearchOption.AllDirectories))
            {
                // Entries of dependencies.d/ and contents.d/ are names: their content does not matter.
                files[Path.GetRelativePath(service, file)] = File.Exists(file) && new FileInfo(file).Length < 65536 ? File.ReadAllText(file) : "";
            }
            definitions.Add(new S6Definition(Path.GetFileName(service), service, files));
        }
        return definitions;
    }

    static List<string> Scripts(string dir) =>
        Directory.Exists(dir) ? [.. Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal)] : [];
}
