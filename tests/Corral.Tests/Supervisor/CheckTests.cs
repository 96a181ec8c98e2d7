using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

public class CheckTests
{
    [Fact]
    public void Check_accepts_the_bundled_example()
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(CorralBinary.Path)!);
        while (!File.Exists(Path.Combine(dir.FullName, "examples", "corral.yaml"))) dir = dir.Parent!;
        var example = Path.Combine(dir.FullName, "examples", "corral.yaml");
        var r = Run.Exec(CorralBinary.Path, "check", "-c", example);
        Assert.Equal(0, r.Code);
        Assert.Contains("ok", r.Stdout);
    }

    [Fact]
    public void Check_prints_every_problem_with_file_and_line_and_exits_1()
    {
        var dir = new ConfigDir("""
            services:
              web:
                command: server
                restart: sometimes
                depends_on: [db]
              worker:
                command: work
                colour: blue
            """);
        var r = Run.Exec(CorralBinary.Path, "check", "-c", dir.Config);
        Assert.Equal(1, r.Code);
        Assert.Contains($"{dir.Config}:4:", r.Stderr);
        Assert.Contains("restart", r.Stderr);
        Assert.Contains($"{dir.Config}:8:", r.Stderr);
        Assert.Contains("colour", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Check_rejects_a_dependency_cycle_and_unknown_names()
    {
        var dir = new ConfigDir("""
            services:
              a:
                command: x
                depends_on: [b]
              b:
                command: x
                depends_on: [a]
              c:
                command: x
                depends_on: [nope]
            """);
        var r = Run.Exec(CorralBinary.Path, "check", "-c", dir.Config);
        Assert.Equal(1, r.Code);
        Assert.Contains("'nope', which is not a service", r.Stderr);
        File.WriteAllText(dir.Config, File.ReadAllText(dir.Config).Replace("[nope]", "[a]"));
        var cycle = Run.Exec(CorralBinary.Path, "check", "-c", dir.Config);
        Assert.Equal(1, cycle.Code);
        Assert.Contains("cycle", cycle.Stderr);
        Assert.Contains($"{dir.Config}:", cycle.Stderr);
    }

    [Fact]
    public void Run_refuses_a_broken_config_without_starting_anything()
    {
        var dir = new ConfigDir("services: [not, a, map]\n");
        var r = Run.Exec(CorralBinary.Path, "run", "-c", dir.Config);
        Assert.Equal(2, r.Code);
        Assert.Contains("nothing started", r.Stderr);
    }

    [Fact]
    public void Dry_run_prints_the_start_order_level_by_level()
    {
        var dir = new ConfigDir("""
            services:
              proxy: {command: x, depends_on: [app]}
              app: {command: x, depends_on: {migrate: {condition: completed_successfully}}}
              migrate: {command: x, type: oneshot}
              cron: {command: x}
            """);
        var r = Run.Exec(CorralBinary.Path, "run", "--dry-run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("  1. cron", lines[1]);
        Assert.Contains("migrate (oneshot)", lines[1]);
        Assert.StartsWith("  2. app", lines[2]);
        Assert.StartsWith("  3. proxy", lines[3]);
    }

    [Fact]
    public void The_config_is_found_through_CORRAL_CONFIG()
    {
        var dir = new ConfigDir("services:\n  a: {command: x}\n");
        var r = Run.ExecWith(CorralBinary.Path, new Dictionary<string, string?> { ["CORRAL_CONFIG"] = dir.Config }, "check");
        Assert.Equal(0, r.Code);
    }
}
