using System.Text;
using CsCheck;
using Corral.Core.Compat.Supervisord;

namespace Corral.Core.Tests.Fuzz;

/// <summary>
/// The XML-RPC request parser on the real supervisorctl's requests, mutated, and on generated
/// calls: a method and its parameters, or a FormatException (its documented error, answered
/// with 400), never another exception, a hang or a stack overflow.
/// </summary>
public class XmlRpcFuzzTests
{
    [Fact]
    public void The_transcripts_give_seeds()
    {
        // Only the built-in calls when ../shared is not beside the repository.
        Assert.True(Corpus.XmlRpcBodies.Count >= 3);
    }

    static readonly Gen<string> tag = Gen.OneOf(
        "<methodCall>", "</methodCall>", "<methodName>", "</methodName>", "<params>", "</params>", "<param>", "</param>", "<value>", "</value>",
        "<array>", "</array>", "<data>", "</data>", "<struct>", "</struct>", "<member>", "</member>", "<name>", "</name>", "<string>",
        "</string>", "<int>", "</int>", "<i8>", "<boolean>", "<double>", "<base64>", "<nil/>", "<value/>", "<data/>", "<?xml version='1.0'?>",
        "<!-- c -->", "x", "1", "&amp;", "&#65;", "&#x1F600;", "&#xD800;", "&#1114112;", "&bogus;", "&", "<", ">", "\n", " ");

    static readonly Gen<string> generatedCall = tag.Array[0, 40].Select(string.Concat);

    [Fact]
    public void The_request_parser_answers_every_body_with_a_call_or_a_format_error()
    {
        var gen = Mutations.Of(Gen.OneOf(Gen.OneOf([.. Corpus.XmlRpcBodies]), generatedCall));
        Fuzzing.Check(gen, body =>
        {
            var (method, parameters) = XmlRpcCodec.ParseCall(body);
            Fuzzing.AssertOutput(method.Length + parameters.Count, body.Length, "call");
        }, body => body, ci: 600, allowed: typeof(FormatException));
    }

    static readonly Gen<object?> scalar = Gen.OneOf<object?>(
        Gen.Int.Select(i => (object?)i), Gen.Bool.Select(b => (object?)b), Gen.String.Select(s => (object?)s),
        Gen.Double.Where(double.IsFinite).Select(d => (object?)d), Gen.Byte.Array[0, 8].Select(b => (object?)b), Gen.Const(() => (object?)null));

    static Gen<object?> Value(int depth) => depth == 0 ? scalar : Gen.Frequency(
        (3, scalar),
        (1, Value(depth - 1).Array[0, 4].Select(items => (object?)items.ToList())),
        (1, Gen.Select(Gen.String[0, 6], Value(depth - 1)).Array[0, 4].Select(members =>
        {
            var s = new XmlRpcStruct();
            foreach (var (name, v) in members) s[name] = v;
            return (object?)s;
        })));

    [Fact]
    public void Every_value_written_reads_back_the_same()
    {
        Value(3).Sample(value =>
        {
            var xml = XmlRpcCodec.Response(value);
            var body = xml.Replace("methodResponse", "methodCall").Replace("<params>", "<methodName>m</methodName>\n<params>");
            var (_, parameters) = XmlRpcCodec.ParseCall(body);
            Assert.Equal(Show(value), Show(Assert.Single(parameters)));
        }, iter: Fuzzing.Iterations(300), threads: 1, print: v => Show(v));
    }

    static string Show(object? value)
    {
        var b = new StringBuilder();
        XmlRpcCodec.Write(b, value);
        return b.ToString();
    }
}
