using System.Text;
using Corral.Core.Compat.Supervisord;

namespace Corral.Core.Tests.Compat.Supervisord;

public class XmlRpcCodecTests
{
    [Fact]
    public void Reads_a_methodCall_as_supervisorctl_sends_it()
    {
        // From the golden transcript start.txt (Python's xmlrpc.client, byte for byte).
        var (method, args) = XmlRpcCodec.ParseCall("""
            <?xml version='1.0'?>
            <methodCall>
            <methodName>supervisor.startProcess</methodName>
            <params>
            <param>
            <value><string>sleeper</string></value>
            </param>
            <param>
            <value><boolean>1</boolean></value>
            </param>
            </params>
            </methodCall>

            """);
        Assert.Equal("supervisor.startProcess", method);
        Assert.Equal<object?>(["sleeper", true], args);
    }

    [Fact]
    public void Reads_every_type_supervisor_clients_send()
    {
        var (_, args) = XmlRpcCodec.ParseCall("""
            <?xml version="1.0"?><!-- a comment --><methodCall><methodName>m</methodName><params>
            <param><value><int>-3</int></value></param>
            <param><value><i4>7</i4></value></param>
            <param><value><boolean>0</boolean></value></param>
            <param><value>bare &amp; text</value></param>
            <param><value><double>1.5</double></value></param>
            <param><value><base64>aGk=</base64></value></param>
            <param><value><nil/></value></param>
            <param><value><array><data><value><string>a</string></value><value><int>1</int></value></data></array></value></param>
            <param><value><struct><member><name>methodName</name><value><string>x</string></value></member>
              <member><name>params</name><value><array><data></data></array></value></member></struct></value></param>
            <param><value><string/></value></param>
            <param><value><string>&lt;&#65;&#x42;&gt;</string></value></param>
            <param><value><i8>10000000000</i8></value></param>
            </params></methodCall>
            """);
        Assert.Equal(-3, args[0]);
        Assert.Equal(7, args[1]);
        Assert.Equal(false, args[2]);
        Assert.Equal("bare & text", args[3]);
        Assert.Equal(1.5, args[4]);
        Assert.Equal("hi"u8.ToArray(), (byte[])args[5]!);
        Assert.Null(args[6]);
        Assert.Equal<object?>(["a", 1], (List<object?>)args[7]!);
        var s = (XmlRpcStruct)args[8]!;
        Assert.Equal("x", s["methodName"]);
        Assert.Empty((List<object?>)s["params"]!);
        Assert.Equal("", args[9]);
        Assert.Equal("<AB>", args[10]);
        Assert.Equal(10000000000L, args[11]);
    }

    [Fact]
    public void A_call_without_params_has_none()
    {
        var (method, args) = XmlRpcCodec.ParseCall("<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getVersion</methodName>\n<params>\n</params>\n</methodCall>\n");
        Assert.Equal("supervisor.getVersion", method);
        Assert.Empty(args);
        Assert.Empty(XmlRpcCodec.ParseCall("<methodCall><methodName>a</methodName></methodCall>").Params);
    }

    [Theory]
    [InlineData("not xml!!")]
    [InlineData("<methodCall><methodName>a</methodName><params><param><value><int>x</int></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>a</methodName><params><param><value><wat>1</wat></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>a</methodName><params><param><value><string>&bogus;</string></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>a</methodName>")]
    public void Anything_else_is_a_format_error(string xml) =>
        Assert.Throws<FormatException>(() => XmlRpcCodec.ParseCall(xml));

    [Fact]
    public void Writes_a_response_as_supervisord_does()
    {
        // The first answer of every supervisorctl command (status.txt).
        Assert.Equal("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>3.0</string></value>\n</param>\n</params>\n</methodResponse>\n",
            XmlRpcCodec.Response("3.0"));
    }

    [Fact]
    public void Writes_a_fault_with_its_code_and_string()
    {
        var xml = XmlRpcCodec.Fault(10, "BAD_NAME: nosuch");
        Assert.Contains("<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n", xml);
        Assert.Contains("<name>faultString</name>\n<value><string>BAD_NAME: nosuch</string></value>", xml);
    }

    [Fact]
    public void What_it_writes_it_reads_back()
    {
        var value = new List<object?>
        {
            new XmlRpcStruct { ["name"] = "a<b>&c", ["pid"] = 12, ["ok"] = true, ["x"] = 0.25, ["none"] = null, ["raw"] = Encoding.UTF8.GetBytes("é\n") },
            new List<object?> { "", -1L },
            "line1\r\nline2",
        };
        var b = new StringBuilder();
        XmlRpcCodec.Write(b, value);
        var back = (List<object?>)XmlRpcCodec.ParseValue(b.ToString())!;
        var s = (XmlRpcStruct)back[0]!;
        Assert.Equal("a<b>&c", s["name"]);
        Assert.Equal(12, s["pid"]);
        Assert.Equal(true, s["ok"]);
        Assert.Equal(0.25, s["x"]);
        Assert.True(s.Has("none"));
        Assert.Null(s["none"]);
        Assert.Equal(Encoding.UTF8.GetBytes("é\n"), (byte[])s["raw"]!);
        Assert.Equal<object?>(["", -1], (List<object?>)back[1]!);
        Assert.Equal("line1\r\nline2", back[2]);
    }
}
