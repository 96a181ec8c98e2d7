using Corral.Core.Config;
using Corral.Core.Config.Argv;
using Corral.Core.Config.Procfile;
using Corral.Core.Model.Services;
using Corral.Core.Planning;
using Corral.Os.Logging;

namespace Corral.Config;

/// <summary>
/// Reads a Procfile and its .env (the variables file beside it, or -e FILE) and compiles them
/// with the options <c>corral run</c> was given: the formation, the base port (-p, else $PORT,
/// else 5000), the types that may die.
/// </summary>
public static class ProcfileFile
{
    public const string DefaultName = "Procfile";

    /// <summary>Whether a config path names a Procfile by its name: Procfile, or Procfile.dev and the like (not a .yaml).</summary>
    public static bool IsProcfile(string path)
    {
        var name = Path.GetFileName(path);
        return name == DefaultName
            || name.StartsWith(DefaultName + ".", StringComparison.Ordinal) && Path.GetExtension(name) is not (".yaml" or ".yml" or ".conf");
    }

    public static (Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics) Load(string path, RunRequest request, IReadOnlyDictionary<string, string> env)
    {
        var diagnostics = new List<Diagnostic>();
        if (Read(path, diagnostics) is not { } text) return (null, diagnostics);

        var port = 5000;
        var portText = request.Port ?? env.GetValueOrDefault("PORT");
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            diagnostics.Add(new Diagnostic(new SourceLocation(path, 0), request.Port is null ? "$PORT" : "--port", $"'{portText}' is not a port (1-65535)"));
            return (null, diagnostics);
        }

        var envFile = request.EnvFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", ".env");
        var variables = new List<KeyValuePair<string, string>>();
        if (request.EnvFile is not null || File.Exists(envFile))
        {
            if (Read(envFile, diagnostics) is not { } envText) return (null, diagnostics);
            var (parsed, problems) = Dotenv.Parse(envText, envFile);
            diagnostics.AddRange(problems);
            variables.AddRange(parsed);
        }

        var options = new ProcfileOptions { Formation = request.Formation, BasePort = port, CanDie = request.CanDie, Environment = [.. variables] };
        var (config, read) = ProcfileReader.Read(text, path, options);
        diagnostics.AddRange(read);
        if (config is null || diagnostics.Any(d => d.Severity == Severity.Error)) return (null, Diagnostic.InFileOrder(diagnostics));
        var (plan, compiled) = PlanCompiler.Compile(config);
        diagnostics.AddRange(compiled);
        diagnostics.AddRange(HostChecks.Check(config, env));
        return (plan, Diagnostic.InFileOrder(diagnostics));
    }

    static string? Read(string path, List<Diagnostic> diagnostics)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new Diagnostic(new SourceLocation(path, 0), "", $"cannot read it: {Problems.Describe(e)}"));
            return null;
        }
    }
}
