using Corral.Tests.Infrastructure;

namespace Corral.Tests.Cli;

/// <summary>The first word of `corral …`: verbs, typos of verbs, and real programs.</summary>
public class VerbTests
{
    static string Bin => CorralBinary.Path;

    [Fact]
    public void Help_and_version_are_verbs_not_programs_to_run()
    {
        var help = Run.Exec(Bin, "help");
        Assert.Equal(0, help.Code);
        Assert.StartsWith("Usage: corral [OPTIONS] -- COMMAND", help.Stdout);
        Assert.Contains("corral help [VERB]", help.Stdout);

        var ctlHelp = Run.Exec(Bin, "help", "ctl");
        Assert.Equal(0, ctlHelp.Code);
        Assert.StartsWith("Usage: corral ctl", ctlHelp.Stdout);

        var version = Run.Exec(Bin, "version");
        Assert.Equal(0, version.Code);
        Assert.Equal("corral 0.1.0", version.Stdout.Trim());

        var nohelp = Run.Exec(Bin, "help", "chek");
        Assert.Equal(2, nohelp.Code);
        Assert.Contains("did you mean 'check'?", nohelp.Stderr);
    }

    [Theory]
    [InlineData("chek", "check")]
    [InlineData("rnu", "run")]
    [InlineData("healthchek", "healthcheck")]
    public void A_typo_of_a_verb_that_is_no_program_is_a_usage_error_with_the_verb_meant(string typo, string meant)
    {
        var r = Run.Exec(Bin, typo);
        Assert.Equal(2, r.Code);
        Assert.Contains($"did you mean `corral {meant}`?", r.Stderr);
    }

    [Fact]
    public void A_real_program_close_to_a_verb_still_runs_as_the_single_child()
    {
        // "cat" is two edits from "ctl", but it is on PATH: Corral is its init.
        var r = Run.Exec(Bin, "-s", "--", "cat", "/proc/self/comm");
        Assert.Equal(0, r.Code);
        Assert.Equal("cat", r.Stdout.Trim());
        var bare = Run.ExecWith(Bin, null, "cat", "/proc/self/comm");
        Assert.Equal(0, bare.Code);
        Assert.Equal("cat", bare.Stdout.Trim());
    }

    [Fact]
    public void An_unknown_ctl_verb_is_a_usage_error_before_any_connection()
    {
        // No Corral runs with this run directory: a good verb would be "unreachable" (4).
        var nowhere = new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = Directory.CreateTempSubdirectory("corral-none-").FullName };
        var bad = Run.ExecWith(Bin, nowhere, "ctl", "bogus");
        Assert.Equal(2, bad.Code);
        Assert.Contains("unknown verb 'bogus'", bad.Stderr);
        var typo = Run.ExecWith(Bin, nowhere, "ctl", "stauts");
        Assert.Equal(2, typo.Code);
        Assert.Contains("did you mean 'status'?", typo.Stderr);
        var good = Run.ExecWith(Bin, nowhere, "ctl", "status");
        Assert.Equal(4, good.Code);
    }
}
