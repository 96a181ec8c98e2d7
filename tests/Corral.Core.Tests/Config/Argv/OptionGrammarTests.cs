using Corral.Core.Config.Argv;

namespace Corral.Core.Tests.Config.Argv;

/// <summary>The one grammar of Corral's own command line, on a small table like a verb's.</summary>
public sealed class OptionGrammarTests
{
    static readonly CliOption[] table =
    [
        CliOption.Flag('f', "follow", "follow"),
        CliOption.Valued('n', "lines", "N", "how many"),
        CliOption.Flag("json", "as JSON"),
        CliOption.Valued("timeout", "D", "how long"),
        CliOption.Valued("tail", "N", "hidden") with { Hidden = true },
        CliOption.HelpOption,
    ];

    static readonly OptionGrammar permuting = new("corral ctl logs", table);
    static readonly OptionGrammar inOrder = new("corral", table, optionsEndAtFirstOperand: true);

    static ParsedArgs Parse(params string[] args) => permuting.Parse(args);

    static (string, string?)[] Read(ParsedArgs p) => [.. p.Options.Select(o => (o.Name, o.Value))];

    [Theory]
    [InlineData("--lines", "5")]
    [InlineData("--lines=5")]
    [InlineData("-n", "5")]
    [InlineData("-n5")]
    public void A_value_is_taken_in_every_spelling(params string[] args)
    {
        var p = Parse(args);
        Assert.Null(p.Error);
        Assert.Equal([("lines", "5")], Read(p));
        Assert.Empty(p.Operands);
    }

    [Fact]
    public void Short_flags_bundle_and_the_rest_of_the_word_after_a_valued_letter_is_its_value()
    {
        var p = Parse("-fn5", "web");
        Assert.Null(p.Error);
        Assert.Equal([("follow", null), ("lines", "5")], Read(p));
        Assert.Equal(["web"], p.Operands);
    }

    [Fact]
    public void A_valued_option_takes_the_next_word_even_when_it_starts_with_a_dash()
    {
        var p = Parse("-n", "-1", "--timeout", "--json");
        Assert.Null(p.Error);
        Assert.Equal([("lines", "-1"), ("timeout", "--json")], Read(p));
    }

    [Fact]
    public void An_equals_value_may_be_empty_or_hold_equals_signs()
    {
        Assert.Equal([("timeout", ""), ("lines", "a=b")], Read(Parse("--timeout=", "--lines=a=b")));
    }

    [Fact]
    public void Options_may_follow_operands_and_a_double_dash_ends_them()
    {
        var p = Parse("web", "-f", "--", "-n", "--json", "db");
        Assert.Null(p.Error);
        Assert.Equal([("follow", null)], Read(p));
        Assert.Equal(["web", "-n", "--json", "db"], p.Operands);
    }

    [Fact]
    public void A_lone_dash_and_an_empty_word_are_operands()
    {
        var p = Parse("-", "", "-f");
        Assert.Equal(["-", ""], p.Operands);
        Assert.True(p.Has("follow"));
    }

    [Fact]
    public void In_order_mode_everything_from_the_first_operand_on_is_left_alone()
    {
        var p = inOrder.Parse(["-f", "cmd", "-n", "5", "--", "x"]);
        Assert.Null(p.Error);
        Assert.Equal([("follow", null)], Read(p));
        Assert.Equal(["cmd", "-n", "5", "--", "x"], p.Operands);
    }

    [Fact]
    public void Options_are_kept_in_order_and_the_last_value_wins()
    {
        var p = Parse("-n1", "--json", "--lines", "2");
        Assert.Equal([("lines", "1"), ("json", null), ("lines", "2")], Read(p));
        Assert.Equal("2", p.Last("lines"));
        Assert.Null(p.Last("timeout"));
    }

    [Fact]
    public void The_spelling_the_user_typed_is_kept_for_messages()
    {
        Assert.Equal(["-n", "--lines", "-n"], Parse("-n1", "--lines=2", "-fn", "3").Options.Where(o => o.Name == "lines").Select(o => o.Spelling));
    }

    [Theory]
    [InlineData("corral ctl logs: unknown option '--bogus'", "--bogus")]
    [InlineData("corral ctl logs: unknown option '--bogus'", "--bogus=1")]
    [InlineData("corral ctl logs: unknown option '--folow'; did you mean '--follow'?", "--folow")]
    [InlineData("corral ctl logs: unknown option '--time'; did you mean '--timeout'?", "--time=5s")]
    [InlineData("corral ctl logs: unknown option '--j'; did you mean '--json'?", "--j")]
    [InlineData("corral ctl logs: unknown option '-x'", "-x")]
    [InlineData("corral ctl logs: unknown option '-x' (in '-fx')", "-fx")]
    [InlineData("corral ctl logs: unknown option '-j' (in '-json'); did you mean '--json'?", "-json")]
    [InlineData("corral ctl logs: option '--json' takes no value", "--json=yes")]
    [InlineData("corral ctl logs: option '-n' needs a value (N)", "-n")]
    [InlineData("corral ctl logs: option '-n' needs a value (N)", "-fn")]
    [InlineData("corral ctl logs: option '--lines' needs a value (N)", "--lines")]
    public void Mistakes_are_one_line_naming_the_command_and_the_option(string error, string word)
    {
        Assert.Equal(error, Parse("web", word).Error);
    }

    [Fact]
    public void A_long_option_is_never_abbreviated_even_when_unambiguous()
    {
        // --fol would be --follow for getopt_long; here it is a mistake with the fix.
        Assert.Equal("corral ctl logs: unknown option '--fol'; did you mean '--follow'?", Parse("--fol").Error);
    }

    [Fact]
    public void An_ambiguous_or_hidden_prefix_is_not_suggested()
    {
        // "t" starts both timeout and the hidden tail: only the shown one is offered.
        Assert.Equal("corral ctl logs: unknown option '--t'; did you mean '--timeout'?", Parse("--t").Error);
        Assert.Equal("corral ctl logs: unknown option '--ta'", Parse("--ta").Error);
    }

    [Fact]
    public void Options_read_before_a_mistake_are_returned_with_it()
    {
        var p = Parse("-f", "--help", "--bogus", "-n", "1");
        Assert.NotNull(p.Error);
        Assert.Equal([("follow", null), ("help", null)], Read(p));
    }

    [Fact]
    public void The_help_lines_come_from_the_table_and_leave_hidden_options_out()
    {
        Assert.Equal("""
              -f, --follow     follow
              -n, --lines N    how many
                  --json       as JSON
                  --timeout D  how long
              -h, --help       show this help

            """, permuting.Describe());
    }

    [Fact]
    public void A_long_left_column_puts_its_help_on_the_next_line()
    {
        var g = new OptionGrammar("x", [CliOption.Valued("rlimit", "NAME=SOFT[:HARD]", "a limit\nrepeatable"), CliOption.Flag('q', "quiet", "quiet")]);
        Assert.Equal("""
                  --rlimit NAME=SOFT[:HARD]
                                          a limit
                                          repeatable
              -q, --quiet                 quiet

            """, g.Describe());
    }
}
