using Corral.Core.Config;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config;

public sealed class InterpolationTests
{
    static readonly Dictionary<string, string> env = new() { ["HOST"] = "db", ["EMPTY"] = "", ["PORT"] = "5432" };

    static (string Value, Interpolation.Problem[] Problems) Apply(string text)
    {
        var (value, problems) = Interpolation.Apply(text, name => env.GetValueOrDefault(name));
        return (value, [.. problems]);
    }

    [Theory]
    [InlineData("$HOST:$PORT", "db:5432")]
    [InlineData("${HOST}x", "dbx")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${MISSING-fallback}", "fallback")]
    [InlineData("${HOST:+set}", "set")]
    [InlineData("${EMPTY:+set}", "")]
    [InlineData("${EMPTY+set}", "set")]
    [InlineData("${MISSING:-${HOST}:${PORT}}", "db:5432")]
    [InlineData("${HOST:-${NOT_READ}}", "db")]
    [InlineData("$$HOME and $${HOST}", "$HOME and ${HOST}")]
    [InlineData("cost: $5, $(date) and a lone $", "cost: $5, $(date) and a lone $")]
    [InlineData("no variables", "no variables")]
    public void Variables_are_replaced_as_Compose_does(string text, string expected)
    {
        var (value, problems) = Apply(text);
        Assert.Equal(expected, value);
        Assert.Empty(problems);
    }

    [Fact]
    public void An_unset_variable_without_a_default_is_empty_with_a_warning_that_names_the_escape()
    {
        var (value, problems) = Apply("echo $NOPE!");
        Assert.Equal("echo !", value);
        var p = Assert.Single(problems);
        Assert.Equal(Severity.Warning, p.Severity);
        Assert.Equal("$NOPE is not set, so it is replaced by an empty string; write $$NOPE to pass '$NOPE' on as it is, or ${NOPE:-default} for a default", p.Message);
    }

    [Theory]
    [InlineData("${NOPE:?set it to the database URL}", "$NOPE is required and is not set: set it to the database URL")]
    [InlineData("${EMPTY:?}", "$EMPTY is required and is empty")]
    [InlineData("${NOPE?}", "$NOPE is required and is not set")]
    public void A_required_variable_that_is_missing_is_an_error_with_its_message(string text, string message)
    {
        var p = Assert.Single(Apply(text).Problems);
        Assert.Equal(Severity.Error, p.Severity);
        Assert.Equal(message, p.Message);
    }

    [Fact]
    public void A_required_variable_that_is_empty_is_fine_without_the_colon() => Assert.Empty(Apply("${EMPTY?}").Problems);

    [Theory]
    [InlineData("${HOST", "'${HOST' has no closing '}'")]
    [InlineData("${1X}", "'${1X}' is not a substitution Corral knows")]
    [InlineData("${HOST/a/b}", "'${HOST/a/b}' is not a substitution Corral knows")]
    [InlineData("${}", "'${}' is not a substitution Corral knows")]
    public void A_malformed_substitution_is_an_error(string text, string start)
    {
        var p = Assert.Single(Apply(text).Problems);
        Assert.Equal(Severity.Error, p.Severity);
        Assert.StartsWith(start, p.Message, StringComparison.Ordinal);
    }
}
