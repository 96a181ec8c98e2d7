using Corral.Core.Config.Supervisord;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config.Supervisord;

public class IniParserTests
{
    static IniParser Parse(string text)
    {
        var p = new IniParser();
        p.Read(new IniText("s.conf", text, "/d"));
        return p;
    }

    static string? Value(string text, string section, string key) => Parse(text).Section(section)?.Get(key)?.Value;

    [Fact]
    public void Equals_and_colon_both_separate_a_key_from_its_value()
    {
        var p = Parse("[program:a]\ncommand = sleep 1\npriority: 5\nurl=http://x:1/\n");
        var s = p.Section("program:a")!;
        Assert.Equal("sleep 1", s.Get("command")!.Value);
        Assert.Equal("5", s.Get("priority")!.Value);
        Assert.Equal("http://x:1/", s.Get("url")!.Value);
        Assert.Empty(p.Diagnostics);
    }

    [Fact]
    public void Option_names_are_case_insensitive_and_section_names_are_not()
    {
        var p = Parse("[Program:A]\nCOMMAND=x\n");
        Assert.Equal("x", p.Section("Program:A")!.Get("command")!.Value);
        Assert.Null(p.Section("program:a"));
    }

    [Fact]
    public void Full_line_comments_start_with_semicolon_or_hash_even_indented()
    {
        var p = Parse("; top\n# top\n[a]\n  ; indented\nk=v\n   # inside\n");
        Assert.Equal("v", p.Section("a")!.Get("k")!.Value);
        Assert.Empty(p.Diagnostics);
    }

    [Fact]
    public void Inline_comments_need_whitespace_before_them()
    {
        Assert.Equal("a", Value("[s]\nk=a ; comment\n", "s", "k"));
        Assert.Equal("a", Value("[s]\nk=a\t# comment\n", "s", "k"));
        Assert.Equal("a;b", Value("[s]\nk=a;b\n", "s", "k"));
        Assert.Equal("http://h/#x", Value("[s]\nk=http://h/#x\n", "s", "k"));
    }

    [Fact]
    public void Indented_lines_continue_the_value()
    {
        Assert.Equal("a,\nb,\nc", Value("[s]\nk = a,\n  b,\n\n\tc\nnext=1\n", "s", "k")!.Replace("\n\n", "\n"));
        Assert.Equal("1", Value("[s]\nk = a,\n  b,\nnext=1\n", "s", "next"));
    }

    [Fact]
    public void Crlf_line_endings_are_read()
    {
        Assert.Equal("v", Value("[s]\r\nk=v\r\n", "s", "k"));
    }

    [Fact]
    public void A_key_written_twice_warns_with_both_lines_and_the_later_wins()
    {
        var p = Parse("[s]\nk=1\nk=2\n");
        Assert.Equal("2", p.Section("s")!.Get("k")!.Value);
        var d = Assert.Single(p.Diagnostics);
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("s.conf:3: warning: s.k: written twice (also at s.conf:2); the later value wins, as in supervisord", d.ToString());
    }

    [Fact]
    public void A_section_written_twice_is_merged_with_a_warning()
    {
        var p = Parse("[s]\na=1\n[t]\n[s]\nb=2\n");
        Assert.Equal(["a", "b"], p.Section("s")!.Entries.Select(e => e.Key));
        var d = Assert.Single(p.Diagnostics);
        Assert.Equal(4, d.Where.Line);
        Assert.Contains("also at s.conf:1", d.Message);
    }

    [Fact]
    public void An_option_before_any_section_and_a_line_without_separator_are_errors_with_their_line()
    {
        var p = Parse("k=v\n[s]\njust words\n");
        Assert.Equal(["s.conf:1: expected a section header such as [supervisord] or [program:NAME] before any option",
            "s.conf:3: s: expected 'key = value', got 'just words'"], p.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Values_keep_the_directory_of_the_file_they_were_written_in()
    {
        var p = new IniParser();
        p.Read(new IniText("main.conf", "[a]\nx=1\n", "/etc"));
        p.Read(new IniText("/etc/conf.d/b.conf", "[a]\ny=2\n", "/etc/conf.d"));
        var a = p.Section("a")!;
        Assert.Equal("/etc", a.Get("x")!.Here);
        Assert.Equal("/etc/conf.d", a.Get("y")!.Here);
        Assert.Equal("/etc/conf.d/b.conf:2", a.Get("y")!.Where.ToString());
    }
}
