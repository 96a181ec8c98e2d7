using Corral.Core.Config.Argv;

namespace Corral.Core.Tests.Config.Argv;

/// <summary>Expected messages and orders are those of glibc's getopt, as tini and dumb-init print them.</summary>
public sealed class GnuGetoptTests
{
    static readonly GnuGetopt.LongOption[] longOptions =
    [
        new("single-child", false, 'c'),
        new("help", false, 'h'),
        new("rewrite", true, 'r'),
        new("verbose", false, 'v'),
        new("version", false, 'V'),
    ];

    static GnuGetopt.Result Short(params string[] args) => new GnuGetopt("prog", "p:hvwgle:s").Parse(args);

    static GnuGetopt.Result Long(params string[] args) => new GnuGetopt("prog", "+hvVcr:", longOptions).Parse(args);

    static (char, string?)[] Options(GnuGetopt.Result r) => [.. r.Options];

    [Fact]
    public void Reads_a_cluster_of_flags_as_separate_options()
    {
        var r = Short("-vvs", "cmd");
        Assert.Null(r.Error);
        Assert.Equal([('v', null), ('v', null), ('s', null)], Options(r));
        Assert.Equal(["cmd"], r.Operands);
    }

    [Fact]
    public void Takes_the_rest_of_a_cluster_as_an_attached_argument()
    {
        var r = Short("-ve5", "cmd");
        Assert.Null(r.Error);
        Assert.Equal([('v', null), ('e', "5")], Options(r));
        Assert.Equal(["cmd"], r.Operands);
    }

    [Fact]
    public void Takes_the_next_word_as_the_argument_even_when_it_looks_like_an_option()
    {
        var r = Short("-e", "-s", "cmd");
        Assert.Null(r.Error);
        Assert.Equal([('e', "-s")], Options(r));
        Assert.Equal(["cmd"], r.Operands);
    }

    [Fact]
    public void Reports_a_missing_argument_in_glibc_words()
    {
        var r = Short("-s", "-e");
        Assert.Equal("prog: option requires an argument -- 'e'\n", r.Error);
    }

    [Fact]
    public void Reports_an_unknown_option_in_glibc_words()
    {
        Assert.Equal("prog: invalid option -- 'Z'\n", Short("-sZ").Error);
    }

    [Fact]
    public void Never_treats_a_colon_as_an_option_letter()
    {
        Assert.Equal("prog: invalid option -- ':'\n", Short("-:").Error);
    }

    [Fact]
    public void Without_long_options_a_double_dash_word_is_an_invalid_dash_option()
    {
        // tini --version x: "tini: invalid option -- '-'"
        Assert.Equal("prog: invalid option -- '-'\n", Short("--version", "x").Error);
    }

    [Fact]
    public void Permutes_options_that_follow_operands()
    {
        var r = Short("cmd", "-s", "arg", "-e", "3");
        Assert.Null(r.Error);
        Assert.Equal([('s', null), ('e', "3")], Options(r));
        Assert.Equal(["cmd", "arg"], r.Operands);
    }

    [Fact]
    public void A_double_dash_ends_the_options_and_is_not_an_operand()
    {
        var r = Short("-s", "--", "cmd", "-v");
        Assert.Null(r.Error);
        Assert.Equal([('s', null)], Options(r));
        Assert.Equal(["cmd", "-v"], r.Operands);
    }

    [Fact]
    public void A_lone_dash_is_an_operand()
    {
        var r = Short("-", "-s");
        Assert.Equal(["-"], r.Operands);
        Assert.Equal([('s', null)], Options(r));
    }

    [Fact]
    public void A_leading_plus_stops_at_the_first_operand()
    {
        var r = Long("-v", "cmd", "-h", "--", "x");
        Assert.Null(r.Error);
        Assert.Equal([('v', null)], Options(r));
        Assert.Equal(["cmd", "-h", "--", "x"], r.Operands);
    }

    [Fact]
    public void POSIXLY_CORRECT_stops_at_the_first_operand_too()
    {
        var r = new GnuGetopt("prog", "p:hvwgle:s").Parse(["-s", "cmd", "-h"], posixlyCorrect: true);
        Assert.Null(r.Error);
        Assert.Equal([('s', null)], Options(r));
        Assert.Equal(["cmd", "-h"], r.Operands);
    }

    [Fact]
    public void Reads_long_options_by_their_short_letter()
    {
        var r = Long("--single-child", "--verbose", "cmd");
        Assert.Null(r.Error);
        Assert.Equal([('c', null), ('v', null)], Options(r));
        Assert.Equal(["cmd"], r.Operands);
    }

    [Fact]
    public void Reads_a_long_option_argument_after_an_equals_sign_or_as_the_next_word()
    {
        var r = Long("--rewrite=15:9", "--rewrite", "2:3", "--rewrite=", "cmd");
        Assert.Null(r.Error);
        Assert.Equal([('r', "15:9"), ('r', "2:3"), ('r', "")], Options(r));
        Assert.Equal(["cmd"], r.Operands);
    }

    [Fact]
    public void Accepts_an_unambiguous_prefix_of_a_long_option()
    {
        var r = Long("--re", "1:2", "--s", "--verb", "--versio", "cmd");
        Assert.Null(r.Error);
        Assert.Equal([('r', "1:2"), ('c', null), ('v', null), ('V', null)], Options(r));
    }

    [Theory]
    [InlineData("--v", "prog: option '--v' is ambiguous; possibilities: '--verbose' '--version'\n")]
    [InlineData("--ver", "prog: option '--ver' is ambiguous; possibilities: '--verbose' '--version'\n")]
    public void Refuses_an_ambiguous_prefix_and_lists_the_possibilities(string arg, string expected)
    {
        Assert.Equal(expected, Long(arg).Error);
    }

    [Theory]
    [InlineData("--foo", "prog: unrecognized option '--foo'\n")]
    [InlineData("--foo=bar", "prog: unrecognized option '--foo=bar'\n")]
    [InlineData("--help=x", "prog: option '--help' doesn't allow an argument\n")]
    [InlineData("--vers=1", "prog: option '--version' doesn't allow an argument\n")]
    [InlineData("--rewrite", "prog: option '--rewrite' requires an argument\n")]
    [InlineData("--rew", "prog: option '--rewrite' requires an argument\n")]
    public void Reports_long_option_mistakes_in_glibc_words(string arg, string expected)
    {
        Assert.Equal(expected, Long(arg).Error);
    }

    [Fact]
    public void An_error_keeps_the_options_read_before_it()
    {
        var r = Short("-s", "-v", "-Z", "-w");
        Assert.NotNull(r.Error);
        Assert.Equal([('s', null), ('v', null)], Options(r));
    }

    [Fact]
    public void No_arguments_give_no_options_and_no_operands()
    {
        var r = Short();
        Assert.Null(r.Error);
        Assert.Empty(r.Options);
        Assert.Empty(r.Operands);
    }
}
