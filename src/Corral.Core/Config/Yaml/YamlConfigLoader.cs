using System.Collections.Immutable;
using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Config.Yaml;

/// <summary>What a config file gave: the services as far as they could be read, the plan when there was no error, and every problem in file order.</summary>
public sealed record LoadedConfig(SupervisorConfig? Config, Plan? Plan, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// corral.yaml's text to a Plan, the way <c>corral check</c>, <c>corral run</c> and a reload
/// all see it: variables replaced from <paramref name="environment"/>, the file read, and the
/// plan's rules run on whatever was read, so that type errors, unknown dependencies and
/// cycles are all reported in one run. A syntax error that stops the parser is alone.
/// </summary>
public static class YamlConfigLoader
{
    public static LoadedConfig Load(string text, string fileName, IReadOnlyDictionary<string, string> environment)
    {
        var read = YamlConfigReader.ReadModel(text, fileName, environment);
        if (read.Config is null) return new(null, null, Diagnostic.InFileOrder(read.Diagnostics));
        var (plan, planDiagnostics) = PlanCompiler.Compile(read.Config, read.Incomplete);
        var diagnostics = read.Diagnostics.AddRange(planDiagnostics);
        var ok = !diagnostics.Any(d => d.Severity == Severity.Error);
        return new(read.Config, ok ? plan : null, Diagnostic.InFileOrder(diagnostics));
    }
}
