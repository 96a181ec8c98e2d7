using Corral.Core.Config.Supervisord;

namespace Corral.Core.Tests.Config.Supervisord;

public class IniExpansionTests
{
    static readonly IniExpansion.Names names = new IniExpansion.Names()
        .With("program_name", "web").With("process_num", 3).With("numprocs", 12).With("here", "/etc/sv")
        .WithEnvironment(new Dictionary<string, string> { ["HOME"] = "/root" });

    static string? Expand(string text) => IniExpansion.Expand(text, names, out _);

    [Theory]
    [InlineData("%(program_name)s", "web")]
    [InlineData("%(program_name)s_%(process_num)02d", "web_03")]
    [InlineData("%(process_num)d", "3")]
    [InlineData("%(process_num)5d", "    3")]
    [InlineData("%(process_num)-3d|", "3  |")]
    [InlineData("%(process_num)s", "3")]
    [InlineData("%(numprocs)d", "12")]
    [InlineData("%(here)s/x.sock", "/etc/sv/x.sock")]
    [InlineData("%(ENV_HOME)s/.cache", "/root/.cache")]
    [InlineData("100%%", "100%")]
    [InlineData("date +%%s", "date +%s")]
    [InlineData("no expansions", "no expansions")]
    public void Expands_like_python_percent_formatting(string text, string expected) => Assert.Equal(expected, Expand(text));

    [Theory]
    [InlineData("%(ENV_NOPE)s", "the environment variable NOPE is not set")]
    [InlineData("%(nope)s", "unknown name")]
    [InlineData("date +%s", "write %% for a percent sign")]
    [InlineData("%(program_name)d", "is not a number")]
    [InlineData("%(program_name)", "needs a type after it")]
    [InlineData("%(program_name", "unterminated")]
    public void Refuses_what_supervisord_cannot_expand(string text, string problem)
    {
        Assert.Null(IniExpansion.Expand(text, names, out var error));
        Assert.Contains(problem, error);
    }
}
