using System.Collections.Immutable;
using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config.Yaml;

/// <summary>Short ways to read a config in tests; file name "corral.yaml".</summary>
internal static class YamlTestHelpers
{
    public static (SupervisorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Read(string yaml) =>
        YamlConfigReader.Read(yaml, "corral.yaml");

    public static SupervisorConfig Clean(string yaml)
    {
        var (config, diagnostics) = Read(yaml);
        Assert.Empty(diagnostics);
        return Assert.IsType<SupervisorConfig>(config);
    }

    /// <summary>
    /// A config with one service "web" whose command is [app] and whose other settings are
    /// <paramref name="settings"/>; its first line is line 4 of the file.
    /// </summary>
    public static string WebYaml(string settings) =>
        "services:\n  web:\n    command: [app]\n" + string.Join("", settings.Split('\n').Select(l => "    " + l + "\n"));

    public static ServiceSpec Web(string settings) => Clean(WebYaml(settings)).Services.Single();

    /// <summary>All diagnostics as their one-line text; the config must have been refused.</summary>
    public static string[] Problems(string yaml)
    {
        var (config, diagnostics) = Read(yaml);
        Assert.Null(config);
        return [.. diagnostics.Select(d => d.ToString())];
    }

    public static string WebProblem(string settings) => Assert.Single(Problems(WebYaml(settings)));
}
