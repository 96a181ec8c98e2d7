using Corral.Core.Config;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config;

public sealed class DotenvTests
{
    static KeyValuePair<string, string>[] Variables(string text)
    {
        var (variables, diagnostics) = Dotenv.Parse(text, ".env");
        Assert.Empty(diagnostics);
        return [.. variables];
    }

    static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);

    [Fact]
    public void Key_value_lines_are_read_in_order_and_comments_and_blank_lines_skipped()
    {
        var text = "# settings\n\nA=1\n  B=two words  \n# C=3\nA=again\n";
        Assert.Equal([Pair("A", "1"), Pair("B", "two words"), Pair("A", "again")], Variables(text));
    }

    [Fact]
    public void An_export_prefix_is_allowed()
    {
        Assert.Equal([Pair("PATH_X", "/x"), Pair("exporter", "1")], Variables("export PATH_X=/x\nexporter=1"));
    }

    [Fact]
    public void Spaces_around_the_equals_sign_are_allowed_and_an_empty_value_is_empty()
    {
        Assert.Equal([Pair("A", "1"), Pair("EMPTY", "")], Variables("A = 1\nEMPTY=\n"));
    }

    [Fact]
    public void An_unquoted_value_ends_at_a_space_and_hash_but_keeps_a_hash_inside_a_word()
    {
        Assert.Equal([Pair("A", "value"), Pair("URL", "http://x/#frag"), Pair("T", "v")], Variables("A=value # note\nURL=http://x/#frag\nT=v\t# tab"));
    }

    [Fact]
    public void A_single_quoted_value_is_literal()
    {
        Assert.Equal([Pair("A", "a \\n $B # c")], Variables("A='a \\n $B # c'"));
    }

    [Fact]
    public void A_double_quoted_value_knows_newline_quote_and_backslash_escapes()
    {
        Assert.Equal([Pair("A", "line1\nline2 \"q\" \\ \t \\x $B")], Variables("A=\"line1\\nline2 \\\"q\\\" \\\\ \\t \\x $B\""));
    }

    [Fact]
    public void A_comment_may_follow_a_quoted_value()
    {
        Assert.Equal([Pair("A", "x # y")], Variables("A=\"x # y\"  # a comment"));
    }

    [Fact]
    public void A_quoted_value_may_span_lines()
    {
        Assert.Equal([Pair("KEY", "-----BEGIN\nabc\n-----END"), Pair("B", "1")], Variables("KEY=\"-----BEGIN\nabc\n-----END\"\r\nB=1"));
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_line_numbers_and_the_rest_is_read()
    {
        var text = "A=1\njust words\n1BAD=x\nB='open\nC=\"x\" trailing\nD=4\n";
        var (variables, diagnostics) = Dotenv.Parse(text, "app.env");
        Assert.Equal([Pair("A", "1"), Pair("D", "4")], variables.ToArray());
        Assert.Equal(
            [
                "app.env:2: 'just words' is not KEY=VALUE",
                "app.env:3: '1BAD' is not a variable name (letters, digits and _, not starting with a digit)",
                "app.env:4: B: unterminated single quote",
                "app.env:5: C: unexpected 'trailing' after the closing quote",
            ],
            diagnostics.Select(d => d.ToString()));
        Assert.All(diagnostics, d => Assert.Equal(Severity.Error, d.Severity));
    }
}
