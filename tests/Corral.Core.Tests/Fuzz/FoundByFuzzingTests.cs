using System.Diagnostics;
using Corral.Core.Compat.Supervisord;
using Corral.Core.Config;
using Corral.Core.Config.Procfile;
using Corral.Core.Config.Supervisord;
using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;
using Corral.Core.Tests.Config.Supervisord;

namespace Corral.Core.Tests.Fuzz;

/// <summary>
/// The bugs the fuzzers found, each held by the smallest input that showed it (docs/reliability.md,
/// "Bad input"). Time bounds are loose (CI is shared): the inputs are sized so that the old
/// quadratic code takes minutes where the fixed one takes milliseconds.
/// </summary>
public class FoundByFuzzingTests
{
    [Theory]
    [InlineData("%(here)99999999999s")]
    [InlineData("%(process_num)2000000000d")]
    public void A_supervisord_expansion_wider_than_int_or_memory_is_an_error_not_an_exception(string value)
    {
        // Was: OverflowException out of int.Parse, or a 4 GB PadLeft.
        var problems = IniTestHelpers.Problems($"{IniTestHelpers.Main}[program:web]\ncommand=app {value}\n");
        Assert.Contains(problems, d => d.Field == "program:web.command" && d.Message.Contains("width", StringComparison.Ordinal) && d.Where.Line == 4);
    }

    [Fact]
    public void A_supervisord_expansion_of_a_normal_width_still_pads()
    {
        Assert.Equal("007", IniExpansion.Expand("%(n)03d", new IniExpansion.Names().With("n", 7), out _));
    }

    [Theory]
    [InlineData("numprocs=2000000000")]
    [InlineData("numprocs=2\nnumprocs_start=2147483647")]
    public void Numprocs_in_the_billions_is_an_error_not_billions_of_services(string settings)
    {
        // Was: a loop creating a service per copy until memory ran out (or an int overflow).
        var r = IniTestHelpers.Read($"{IniTestHelpers.Main}[program:web]\ncommand=app\nprocess_name=%(process_num)s\n{settings}\n");
        Assert.Contains(r.Diagnostics, d => d.Field == "program:web.numprocs" && d.Severity == Severity.Error);
        Assert.Empty(r.Config!.Services);
    }

    [Fact]
    public void A_formation_of_billions_is_an_error_not_billions_of_services()
    {
        // Was: web=2147483647 made services until memory ran out.
        var (config, diagnostics) = ProcfileReader.Read("web: app\n", "Procfile", new ProcfileOptions { Formation = "web=2147483647" });
        Assert.Null(config);
        Assert.Contains(diagnostics, d => d.Field == "--formation" && d.Message.Contains("at most 1000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Procfile_of_many_lines_reads_in_linear_time()
    {
        // Was: each line compared with every earlier one.
        var text = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"t{i}: app\n"));
        var clock = Stopwatch.StartNew();
        var (_, diagnostics) = ProcfileReader.Read(text + "t0: again\n", "Procfile", new ProcfileOptions());
        Assert.Contains(diagnostics, d => d.Where.Line == 200_001 && d.Message.Contains("first on line 1", StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}");
    }

    [Theory]
    [InlineData("&#x110000;")]
    [InlineData("&#xD800;")]
    [InlineData("&#55296;")]
    public void An_xml_rpc_character_reference_that_is_no_character_is_a_format_error(string reference)
    {
        // Was: ArgumentOutOfRangeException from char.ConvertFromUtf32, answered 500 instead of 400.
        var e = Assert.Throws<FormatException>(() => XmlRpcCodec.ParseCall($"<methodCall><methodName>a{reference}</methodName></methodCall>"));
        Assert.Contains("not a character", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Xml_rpc_values_nested_thousands_deep_are_a_format_error_not_a_stack_overflow()
    {
        // Was: one stack frame per level; a 64 KB body nests 3,000 deep, and a stack overflow kills PID 1.
        var deep = string.Concat(Enumerable.Repeat("<value><array><data>", 100_000));
        var body = $"<methodCall><methodName>m</methodName><params><param>{deep}</param></params></methodCall>";
        var e = Assert.Throws<FormatException>(() => XmlRpcCodec.ParseCall(body));
        Assert.Contains("nested more than 64 deep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xml_rpc_struct_of_many_members_reads_in_linear_time()
    {
        // Was: each member looked up among all the earlier ones.
        var members = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"<member><name>m{i}</name><value><int>{i}</int></value></member>"));
        var clock = Stopwatch.StartNew();
        var (_, parameters) = XmlRpcCodec.ParseCall($"<methodCall><methodName>m</methodName><params><param><value><struct>{members}</struct></value></param></params></methodCall>");
        Assert.Equal(199_999, ((XmlRpcStruct)parameters[0]!)["m199999"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}");
    }

    [Fact]
    public void Substitutions_nested_thousands_deep_are_an_error_in_bounded_time()
    {
        // Was: minutes for 5,000 levels of ${A:-${A:-…}}: each level read the rest of the text again.
        var text = string.Concat(Enumerable.Repeat("${A:-", 5000)) + new string('}', 5000);
        var clock = Stopwatch.StartNew();
        var (_, problems) = Interpolation.Apply(text, _ => null);
        Assert.Contains(problems, p => p.Severity == Severity.Error && p.Message.Contains("nested more than", StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}");
        Assert.Equal("x", Interpolation.Apply("${A:-${B:-x}}", _ => null).Value);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public void Yaml_nested_thousands_deep_is_a_syntax_error_in_bounded_time(string open, string close)
    {
        // Was: seconds for "[[[[…]]]]" 5,000 deep (YamlDotNet's scanner is quadratic in the nesting).
        var yaml = "services:\n  a:\n    command: " + string.Concat(Enumerable.Repeat(open, 5000)) + "x" + string.Concat(Enumerable.Repeat(close, 5000)) + "\n";
        var clock = Stopwatch.StartNew();
        var (config, diagnostics) = YamlConfigReader.Read(yaml, "corral.yaml");
        Assert.Null(config);
        var d = Assert.Single(diagnostics);
        Assert.Contains("nested more than 64 deep", d.Message, StringComparison.Ordinal);
        Assert.Equal(3, d.Where.Line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}");
    }

    [Fact]
    public void A_supervisord_section_name_of_many_kilobytes_is_one_error_not_megabytes_of_messages()
    {
        // Was: every option's diagnostic repeated the 80,000-character name (27 MB for a 74 KB file).
        var options = string.Concat(Enumerable.Range(0, 300).Select(i => $"bogus{i}=1\n"));
        var r = IniTestHelpers.Read($"[program:{new string('x', 80_000)}]\n{options}");
        Assert.Contains(r.Diagnostics, d => d.Where.Line == 1 && d.Message.Contains("at most 1024", StringComparison.Ordinal));
        Assert.True(r.Diagnostics.Sum(d => d.ToString().Length) < 100_000);
    }
}
