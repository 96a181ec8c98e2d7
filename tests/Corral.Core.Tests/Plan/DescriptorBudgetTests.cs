using Corral.Core.Config.Yaml;
using Corral.Core.Planning;

namespace Corral.Core.Tests.Planning;

public sealed class DescriptorBudgetTests
{
    static Plan Compiled(string yaml)
    {
        var (config, readDiagnostics) = YamlConfigReader.Read(yaml, "c.yaml");
        Assert.Empty(readDiagnostics);
        return PlanCompiler.Compile(config!).Plan!;
    }

    [Fact]
    public void Each_service_counts_its_two_pipes_its_log_files_and_its_readiness_channel()
    {
        var plan = Compiled("""
            services:
              plain: {command: sleep 1}
              logged: {command: sleep 1, logs: {stdout: /tmp/a.log, stderr: /tmp/b.log}}
              notifying: {command: sleep 1, ready: notify}
              copies: {command: sleep 1, replicas: 3}
            """);
        Assert.Equal(DescriptorBudget.Base + 2 + 4 + 3 + 3 * 2, DescriptorBudget.Needed(plan));
    }

    [Theory]
    [InlineData(264, 1024, 4096, null)]  // enough already
    [InlineData(264, 100, 4096, 264UL)]  // raised to what is needed
    [InlineData(264, 100, 150, 150UL)]   // raised as far as the hard limit allows
    [InlineData(264, 150, 150, null)]    // nothing to raise
    public void The_soft_limit_is_raised_to_what_is_needed_and_at_most_the_hard_limit(long needed, ulong soft, ulong hard, ulong? expected) =>
        Assert.Equal(expected, DescriptorBudget.SoftLimitFor(needed, soft, hard));

    [Fact]
    public void A_hard_limit_short_of_the_need_is_a_warning_that_says_what_to_ask_for()
    {
        var plan = Compiled("services: {a: {command: sleep 1}}");
        Assert.Null(DescriptorBudget.Shortfall(plan, 66, 66));
        Assert.Equal("1 services need about 66 open files, but the limit is 65 (docker run --ulimit nofile=66): services that do not fit will fail to start with \"Too many open files\" and be retried",
            DescriptorBudget.Shortfall(plan, 66, 65));
    }
}
