using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Cli;

/// <summary>Finds, reads and compiles the config of <c>corral run</c> and <c>corral check</c>.</summary>
public static class ConfigFile
{
    public static readonly string[] DefaultPlaces = ["corral.yaml", "/etc/corral/corral.yaml"];

    /// <summary>-c FILE, then CORRAL_CONFIG, then ./corral.yaml, then /etc/corral/corral.yaml.</summary>
    public static string? Find(string? given, IReadOnlyDictionary<string, string> env)
    {
        if (given is not null) return given;
        if (env.TryGetValue("CORRAL_CONFIG", out var fromEnv) && fromEnv.Length > 0) return fromEnv;
        return DefaultPlaces.FirstOrDefault(File.Exists);
    }

    /// <summary>Reads and compiles; every problem found is in Diagnostics (errors make Plan null).</summary>
    public static (Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics) Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new Diagnostic(new SourceLocation(path, 0), "", $"cannot read the config: {Os.Logging.Problems.Describe(e)}")]);
        }
        var (config, readDiagnostics) = YamlConfigReader.Read(text, path);
        if (config is null) return (null, readDiagnostics);
        var (plan, planDiagnostics) = PlanCompiler.Compile(config);
        return (plan, [.. readDiagnostics, .. planDiagnostics]);
    }
}
