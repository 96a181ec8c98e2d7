using System.Collections.Immutable;
using Corral.Core.Config.Supervisord;
using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;
using Corral.Core.Planning;
using Corral.Os.Logging;

namespace Corral.Config;

/// <summary>Finds, reads and compiles the config of <c>corral run</c> and <c>corral check</c>.</summary>
public static class ConfigFile
{
    public static readonly string[] DefaultPlaces = ["corral.yaml", "/etc/corral/corral.yaml"];

    /// <summary>-c FILE, then CORRAL_CONFIG, then ./corral.yaml, then /etc/corral/corral.yaml, then ./Procfile.</summary>
    public static string? Find(string? given, IReadOnlyDictionary<string, string> env)
    {
        if (given is not null) return given;
        if (env.TryGetValue("CORRAL_CONFIG", out var fromEnv) && fromEnv.Length > 0) return fromEnv;
        return DefaultPlaces.FirstOrDefault(File.Exists) ?? (File.Exists(ProcfileFile.DefaultName) ? ProcfileFile.DefaultName : null);
    }

    /// <summary>
    /// Reads and compiles with Corral's own environment for <c>${VAR}</c>: the one way
    /// <c>corral check</c>, <c>corral run</c> and every reload load a file. Every problem found
    /// is in Diagnostics, in file order (errors make Plan null).
    /// </summary>
    public static (Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics) Load(string path) => Load(path, ProcessVariables.Read());

    public static (Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics) Load(string path, IReadOnlyDictionary<string, string> env)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new Diagnostic(new SourceLocation(path, 0), "", $"cannot read the config: {Problems.Describe(e)}")]);
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        // The format is the content's: supervisord.conf has INI section headers, corral.yaml never does.
        var loaded = SupervisordConfigReader.LooksLikeIni(text)
            ? SupervisordConfigReader.Load(text, path, directory, new SupervisordHost(env, Environment.MachineName), IncludeFiles.Match)
            : YamlConfigLoader.Load(text, path, env, directory);
        if (loaded.PasswordFile is { } passwordFile)
        {
            try { loaded = loaded.WithPasswordFile(File.ReadAllText(passwordFile.Path), null); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { loaded = loaded.WithPasswordFile(null, Problems.Describe(e)); }
        }
        if (loaded.Config is null) return (loaded.Plan, loaded.Diagnostics);
        return (loaded.Plan, Diagnostic.InFileOrder([.. loaded.Diagnostics, .. HostChecks.Check(loaded.Config, env)]));
    }
}
