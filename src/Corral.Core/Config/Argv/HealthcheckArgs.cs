namespace Corral.Core.Config.Argv;

/// <summary>What <c>corral healthcheck</c> was asked: where the status file is (null: the default), which services.</summary>
public sealed record HealthcheckRequest(string? RunDirectory, IReadOnlyList<string> Names);

/// <summary>Reads <c>corral healthcheck [--run-dir DIR] [NAME…]</c>.</summary>
public static class HealthcheckArgs
{
    public static readonly OptionGrammar Grammar = new("corral healthcheck",
    [
        CliOption.Valued("run-dir", "DIR", "where the running Corral keeps its status file"),
        CliOption.HelpOption,
    ]);

    public static string Usage => field ??= $"""
        Usage: corral healthcheck [--run-dir DIR] [NAME...]

        Exit 0 when every service of the running `corral run` that should be up is running and
        ready (or only the NAMEd ones), 1 otherwise; one line says why. For a Dockerfile:
          HEALTHCHECK CMD ["corral", "healthcheck"]
        DIR: --run-dir, else $CORRAL_RUN_DIR, else /run/corral.

        {Grammar.Describe()}
        """;

    public static ArgvOutcome<HealthcheckRequest> Read(IReadOnlyList<string> args)
    {
        var parsed = Grammar.Parse(args);
        if (parsed.Has("help")) return ArgvOutcome<HealthcheckRequest>.Print(0, Usage);
        if (parsed.Error is { } error) return ArgvOutcome<HealthcheckRequest>.Print(2, stderr: $"{error}\n\n{Usage}");
        return ArgvOutcome<HealthcheckRequest>.Run(new HealthcheckRequest(parsed.Last("run-dir"), parsed.Operands));
    }
}
