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

    public static (Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics) Load(string root, IReadOnlyDictionary<string, string> env)
    {
        var dir = Path.Combine(Path.GetFullPath(root), Source);
        var definitions = new List<S6Definition>();
        try
        {
            foreach (var service in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
            {
                var files = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var file in Directory.EnumerateFileSystemEntries(service, "*", SearchOption.AllDirectories))
                {
                    var relative = Path.GetRelativePath(service, file);
                    // Entries of dependencies.d/ and contents.d/ are names: their content does not matter.
                    files[relative] = File.Exists(file) && new FileInfo(file).Length < 65536 ? File.ReadAllText(file) : "";
                }
                definitions.Add(new S6Definition(Path.GetFileName(service), service, files));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new Diagnostic(new SourceLocation(dir, 0), "", $"cannot read the s6-rc source tree: {Problems.Describe(e)}")]);
        }
        var (config, diagnostics) = S6RcReader.Read(definitions, dir);
        if (config is null) return (null, diagnostics);
        var (plan, compiled) = PlanCompiler.Compile(config);
        return (plan, Diagnostic.InFileOrder([.. diagnostics, .. compiled, .. HostChecks.Check(config, env)]));
    }
}
