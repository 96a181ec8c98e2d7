using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;
using Corral.Core.Planning;

namespace Corral.Core.Tests.Config.Yaml;

public sealed class ExampleConfigTests
{
    static string ExamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "corral.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("examples/corral.yaml not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_example_config_reads_and_compiles_without_a_single_diagnostic()
    {
        var (config, diagnostics) = YamlConfigReader.Read(File.ReadAllText(ExamplePath()), "examples/corral.yaml");
        Assert.Empty(diagnostics);
        var (plan, planDiagnostics) = PlanCompiler.Compile(config!);
        Assert.Empty(planDiagnostics);
        Assert.Equal(["migrate", "app", "proxy", "worker"], plan!.StartOrder.Select(s => s.Name));
        Assert.Equal(ServiceType.Oneshot, plan["migrate"].Type);
        Assert.True(plan["app"].Shell);
        Assert.Equal(DependencyCondition.CompletedSuccessfully, plan["app"].DependsOn.Single().Condition);
    }
}
