using Corral.Core.Model.Services;
using static Corral.Core.Tests.Config.Yaml.YamlTestHelpers;

namespace Corral.Core.Tests.Config.Yaml;

/// <summary>Whatever the text, the reader answers with diagnostics and never throws.</summary>
public sealed class MalformedYamlTests
{
    [Theory]
    [InlineData("{")]
    [InlineData("[")]
    [InlineData("'")]
    [InlineData("\"unterminated")]
    [InlineData("services: *nowhere")]
    [InlineData("services:\n  web: &a\n    command: *a\n")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("services:\n  ? [a]\n  : {command: [x]}\n")]
    [InlineData("services:\n  web:\n    command: [app\n    restart: never\n")]
    [InlineData("services:\n  web:\n    command: \"a\n")]
    [InlineData("%YAML 9.9\n---\nservices: {}\n")]
    [InlineData("\0\u0001")]
    [InlineData("services:\n  web:\n    <<: 5\n    command: [a]\n")]
    [InlineData("services:\n  web:\n    command: [a]\n    environment: {<<: [1]}\n")]
    public void Broken_input_gives_errors_and_no_config(string text)
    {
        var (config, diagnostics) = Read(text);
        Assert.Null(config);
        Assert.Contains(diagnostics, d => d.Severity == Severity.Error && d.Where.File == "corral.yaml" && d.Where.Line >= 1);
    }

    [Fact]
    public void An_unclosed_bracket_is_reported_near_where_reading_stopped()
    {
        var d = Assert.Single(Read("services:\n  web:\n    command: [app\n    restart: never\n").Diagnostics);
        Assert.InRange(d.Where.Line, 3, 4);
        Assert.StartsWith("YAML syntax error", d.Message);
    }

    [Fact]
    public void A_bad_merge_value_is_an_error_where_it_is_written()
    {
        Assert.Equal(["corral.yaml:3: services.web: '<<' merges a mapping or a list of mappings (an alias such as *defaults)"],
            Problems("services:\n  web:\n    <<: 5\n    command: [a]\n"));
    }

    [Fact]
    public void Several_merged_mappings_give_way_to_the_earlier_one_and_to_explicit_keys()
    {
        var web = Clean("""
            x-a: &a {restart: never, user: alice}
            x-b: &b {restart: always, group: staff, user: bob}
            services:
              web:
                <<: [*a, *b]
                command: [app]
                group: wheel
            """).Services.Single();
        Assert.Equal(RestartPolicy.Never, web.Restart);
        Assert.Equal("alice", web.User);
        Assert.Equal("wheel", web.Group);
    }

    [Fact]
    public void Merged_settings_are_reported_at_the_line_they_are_written_on()
    {
        Assert.Equal(["corral.yaml:2: services.web.restart: unknown value 'sometimes' (always, on-failure, never)"],
            Problems("x-defaults: &d\n  restart: sometimes\nservices:\n  web:\n    <<: *d\n    command: [a]\n"));
    }

    [Fact]
    public void A_colon_and_space_inside_an_unquoted_value_is_explained_with_the_fix()
    {
        var d = Assert.Single(Read("services:\n  web:\n    command: sh -c 'echo \"setup: done\"'\n").Diagnostics);
        Assert.Equal(3, d.Where.Line);
        Assert.Equal(
            "YAML syntax error: the value of 'command' contains ': ', which YAML reads as the start of a mapping; quote the whole value (command: \"sh -c 'echo \\\"setup: done\\\"'\"), or write 'command: >-' and put the value on the next line, indented further",
            d.Message);
    }

    [Fact]
    public void A_colon_in_an_unquoted_list_item_is_explained_too()
    {
        var d = Assert.Single(Read("services:\n  web:\n    command:\n      - echo\n      - a: b: c\n").Diagnostics);
        Assert.Contains("':'", d.Message.Replace("': '", "':'"), StringComparison.Ordinal);
    }
}
