using Corral.Core.Config;

namespace Corral.Core.Tests.Config;

public sealed class ShellWordsTests
{
    static string[] Split(string text)
    {
        Assert.True(ShellWords.TrySplit(text, out var words, out var error), error);
        return [.. words];
    }

    [Theory]
    [InlineData("nginx -g 'daemon off;'", new[] { "nginx", "-g", "daemon off;" })]
    [InlineData("  a   b\tc\nd  ", new[] { "a", "b", "c", "d" })]
    [InlineData("echo \"a b\" 'c d'", new[] { "echo", "a b", "c d" })]
    [InlineData("a\"b\"'c'd", new[] { "abcd" })]
    [InlineData("echo '' \"\"", new[] { "echo", "", "" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("\\'x\\\"", new[] { "'x\"" })]
    [InlineData("'it''s'", new[] { "its" })]
    [InlineData("'a \\ b'", new[] { "a \\ b" })]
    [InlineData("\"\\$HOME \\\" \\\\ \\n\"", new[] { "$HOME \" \\ \\n" })]
    [InlineData("\"it's\"", new[] { "it's" })]
    [InlineData("one \\\ntwo", new[] { "one", "two" })]
    [InlineData("trailing\\", new[] { "trailing\\" })]
    [InlineData("", new string[0])]
    [InlineData("   ", new string[0])]
    public void A_string_is_split_into_words_like_a_posix_shell_splits_them(string text, string[] expected)
    {
        Assert.Equal(expected, Split(text));
    }

    [Theory]
    [InlineData("echo $HOME *.txt ~", new[] { "echo", "$HOME", "*.txt", "~" })]
    [InlineData("echo \"$HOME\" `id`", new[] { "echo", "$HOME", "`id`" })]
    [InlineData("a | b > c", new[] { "a", "|", "b", ">", "c" })]
    public void Nothing_is_expanded_globbed_or_interpreted(string text, string[] expected)
    {
        Assert.Equal(expected, Split(text));
    }

    [Theory]
    [InlineData("echo 'oops", "unterminated single quote at character 6")]
    [InlineData("echo \"oops", "unterminated double quote at character 6")]
    [InlineData("\"a\\\"", "unterminated double quote at character 1")]
    public void An_unterminated_quote_is_an_error_that_says_where_it_opened(string text, string message)
    {
        Assert.False(ShellWords.TrySplit(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("a | b", "|")]
    [InlineData("echo $HOME", "$")]
    [InlineData("a && b", "&")]
    [InlineData("a; b", ";")]
    [InlineData("a > out", ">")]
    [InlineData("echo `id`", "`")]
    [InlineData("echo #comment", "#")]
    public void Unquoted_shell_syntax_is_found_so_a_reader_can_suggest_a_shell(string text, string syntax)
    {
        Assert.Equal(syntax, ShellWords.FirstShellSyntax(text));
    }

    [Theory]
    [InlineData("nginx -g 'daemon off;'")]
    [InlineData("echo \"a | b\" '$x'")]
    [InlineData("echo a\\|b")]
    [InlineData("curl http://x/#anchor")]
    public void Quoted_or_escaped_shell_syntax_and_a_hash_inside_a_word_are_not_shell_syntax(string text)
    {
        Assert.Null(ShellWords.FirstShellSyntax(text));
    }
}
