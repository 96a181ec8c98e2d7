using System.Globalization;
using System.Text;

namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// Overview: the XML-RPC that supervisorctl (Python's xmlrpc.client) speaks, written by hand: a
/// methodCall in, a methodResponse or fault out. Values are plain CLR values, so nothing here
/// needs reflection (NativeAOT) or System.Xml (its size): int, bool, string, double, byte[]
/// (base64), null (nil), IReadOnlyList&lt;object?&gt; (array) and <see cref="XmlRpcStruct"/>.
/// The reader takes the XML that XML-RPC uses (elements, text, the five entities and character
/// references, a declaration, comments); anything else is a <see cref="FormatException"/>.
/// </summary>
public static class XmlRpcCodec
{
    /// <summary>A methodCall's method name and parameters.</summary>
    public static (string Method, List<object?> Params) ParseCall(string xml)
    {
        var r = new Reader(xml);
        r.Open("methodCall");
        r.Open("methodName");
        var method = r.Text().Trim();
        r.Close("methodName");
        var parameters = new List<object?>();
        if (r.TryOpen("params", out var empty) && !empty)
        {
            while (r.TryOpen("param", out var emptyParam))
            {
                if (emptyParam) continue;
                parameters.Add(r.Value());
                r.Close("param");
            }
            r.Close("params");
        }
        r.Close("methodCall");
        return (method, parameters);
    }

    /// <summary>A methodCall as a client sends it (supervisorctl's personality).</summary>
    public static string Call(string method, IEnumerable<object?> parameters)
    {
        var b = new StringBuilder("<?xml version='1.0'?>\n<methodCall>\n<methodName>");
        Escape(b, method);
        b.Append("</methodName>\n<params>\n");
        foreach (var p in parameters)
        {
            b.Append("<param>\n");
            Write(b, p);
            b.Append("</param>\n");
        }
        b.Append("</params>\n</methodCall>\n");
        return b.ToString();
    }

    /// <summary>A methodResponse's value; a fault is thrown as <see cref="XmlRpcFault"/>.</summary>
    public static object? ParseResponse(string xml)
    {
        var r = new Reader(xml);
        r.Open("methodResponse");
        if (r.TryOpen("fault", out _))
        {
            var fault = r.Value() as XmlRpcStruct ?? throw new FormatException("not an XML-RPC response: a fault without a struct");
            throw new XmlRpcFault(fault["faultCode"] is int code ? code : 0, fault["faultString"] as string ?? "");
        }
        r.Open("params");
        r.Open("param");
        var value = r.Value();
        r.Close("param");
        r.Close("params");
        r.Close("methodResponse");
        return value;
    }

    /// <summary>One value read from text (for tests and for clients).</summary>
    public static object? ParseValue(string xml) => new Reader(xml).Value();

    public static string Response(object? value)
    {
        var b = new StringBuilder("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n");
        Write(b, value);
        b.Append("</param>\n</params>\n</methodResponse>\n");
        return b.ToString();
    }

    public static string Fault(int code, string text)
    {
        var b = new StringBuilder("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n");
        Write(b, new XmlRpcStruct { ["faultCode"] = code, ["faultString"] = text });
        b.Append("</fault>\n</methodResponse>\n");
        return b.ToString();
    }

    /// <summary>A value as Python's xmlrpc.client writes it, one per line in arrays and structs.</summary>
    public static void Write(StringBuilder b, object? value)
    {
        b.Append("<value>");
        switch (value)
        {
            case null: b.Append("<nil/>"); break;
            case bool v: b.Append("<boolean>").Append(v ? '1' : '0').Append("</boolean>"); break;
            case int v: b.Append("<int>").Append(v.ToString(CultureInfo.InvariantCulture)).Append("</int>"); break;
            case long v: b.Append("<int>").Append(v.ToString(CultureInfo.InvariantCulture)).Append("</int>"); break;
            case double v: b.Append("<double>").Append(v.ToString("R", CultureInfo.InvariantCulture)).Append("</double>"); break;
            case string v: b.Append("<string>"); Escape(b, v); b.Append("</string>"); break;
            case byte[] v: b.Append("<base64>\n").Append(Convert.ToBase64String(v)).Append("\n</base64>"); break;
            case XmlRpcStruct s:
                b.Append("<struct>\n");
                foreach (var (name, member) in s)
                {
                    b.Append("<member>\n<name>");
                    Escape(b, name);
                    b.Append("</name>\n");
                    Write(b, member);
                    b.Append("</member>\n");
                }
                b.Append("</struct>");
                break;
            case IEnumerable<object?> items:
                b.Append("<array><data>\n");
                foreach (var item in items) Write(b, item);
                b.Append("</data></array>");
                break;
            default: throw new ArgumentException($"no XML-RPC type for {value.GetType().Name}");
        }
        b.Append("</value>\n");
    }

    static void Escape(StringBuilder b, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': b.Append("&amp;"); break;
                case '<': b.Append("&lt;"); break;
                case '>': b.Append("&gt;"); break;
                case '\r': b.Append("&#13;"); break;
                default: b.Append(c); break;
            }
        }
    }

    /// <summary>A cursor over the text: tags and text, skipping the declaration, comments and whitespace between tags.</summary>
    sealed class Reader(string xml)
    {
        int at;

        int depth;

        /// <summary>
        /// Arrays and structs nest at most this deep: each level is a frame of this recursive
        /// reader, and a 64 KB body of "&lt;value&gt;&lt;array&gt;&lt;data&gt;" would otherwise
        /// overflow the stack, which no handler can catch (PID 1 would die). supervisorctl sends two.
        /// </summary>
        public const int MaxDepth = 64;

        public object? Value()
        {
            if (++depth > MaxDepth) throw Bad($"values nested more than {MaxDepth} deep");
            try { return ReadValue(); }
            finally { depth--; }
        }

        object? ReadValue()
        {
            Open("value", out var emptyValue);
            if (emptyValue) return "";
            // <value>text</value> is a string.
            var text = Text();
            if (Peek() is not { Closing: false })
            {
                Close("value");
                return text;
            }
            var (name, empty) = Tag();
            object? value = name switch
            {
                "nil" => null,
                "int" or "i4" or "i8" => empty ? throw Bad("empty int") : ParseInt(Text()),
                "boolean" => (empty ? "" : Text().Trim()) switch
                {
                    "1" => true,
                    "0" => false,
                    var other => throw Bad($"boolean '{other}'"),
                },
                "string" => empty ? "" : Text(),
                "double" => double.TryParse(empty ? "" : Text().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Bad("double"),
                "base64" => empty ? [] : Base64(Text()),
                "array" => empty ? new List<object?>() : Array(),
                "struct" => empty ? new XmlRpcStruct() : Struct(),
                "dateTime.iso8601" => empty ? "" : Text(),
                _ => throw Bad($"unknown type <{name}>"),
            };
            if (!empty) Close(name);
            Close("value");
            return value;
        }

        /// <summary>An int (a long only beyond int's range, as i8 allows).</summary>
        static object ParseInt(string text) =>
            !long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? throw Bad($"int '{text}'")
            : n is >= int.MinValue and <= int.MaxValue ? (object)(int)n : n;

        static byte[] Base64(string text)
        {
            try { return Convert.FromBase64String(text.Trim()); }
            catch (FormatException) { throw Bad("base64"); }
        }

        List<object?> Array()
        {
            var items = new List<object?>();
            if (TryOpen("data", out var empty) && !empty)
            {
                while (Peek() is { Closing: false, Name: "value" }) items.Add(Value());
                Close("data");
            }
            return items;
        }

        XmlRpcStruct Struct()
        {
            var s = new XmlRpcStruct();
            while (TryOpen("member", out var empty))
            {
                if (empty) continue;
                Open("name");
                var name = Text();
                Close("name");
                s[name] = Value();
                Close("member");
            }
            return s;
        }

        public void Open(string name) => Open(name, out _);

        public void Open(string name, out bool empty)
        {
            if (!TryOpen(name, out empty)) throw Bad($"expected <{name}>");
        }

        public bool TryOpen(string name, out bool empty)
        {
            empty = false;
            if (Peek() is not { Closing: false } tag || tag.Name != name) return false;
            (_, empty) = Tag();
            return true;
        }

        public void Close(string name)
        {
            if (Peek() is not { Closing: true } tag || tag.Name != name) throw Bad($"expected </{name}>");
            Tag();
        }

        /// <summary>The next tag, without moving past it; null at the end or before text.</summary>
        (string Name, bool Closing)? Peek()
        {
            SkipMarkup();
            var i = at;
            while (i < xml.Length && char.IsWhiteSpace(xml[i])) i++;
            if (i >= xml.Length || xml[i] != '<') return null;
            var closing = i + 1 < xml.Length && xml[i + 1] == '/';
            var start = i + (closing ? 2 : 1);
            var end = start;
            while (end < xml.Length && xml[end] is not ('>' or '/' or ' ' or '\t' or '\r' or '\n')) end++;
            return (xml[start..end], closing);
        }

        /// <summary>Moves past the next tag: its name and whether it was &lt;empty/&gt;.</summary>
        (string Name, bool Empty) Tag()
        {
            SkipMarkup();
            while (at < xml.Length && char.IsWhiteSpace(xml[at])) at++;
            var end = xml.IndexOf('>', at);
            if (at >= xml.Length || xml[at] != '<' || end < 0) throw Bad("expected a tag");
            var inner = xml[(at + 1)..end];
            at = end + 1;
            var empty = inner.EndsWith('/');
            var name = inner.TrimStart('/').TrimEnd('/').Trim();
            var space = name.IndexOfAny([' ', '\t', '\r', '\n']);
            return (space < 0 ? name : name[..space], empty);
        }

        /// <summary>The text up to the next tag, entities replaced (whitespace kept: it belongs to strings).</summary>
        public string Text()
        {
            SkipMarkup();
            var end = xml.IndexOf('<', at);
            if (end < 0) end = xml.Length;
            var raw = xml.AsSpan(at, end - at);
            at = end;
            if (raw.IndexOf('&') < 0) return raw.ToString();
            var b = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '&')
                {
                    b.Append(raw[i]);
                    continue;
                }
                var semi = raw[i..].IndexOf(';');
                if (semi < 0) throw Bad("an unterminated entity");
                var entity = raw.Slice(i + 1, semi - 1).ToString();
                b.Append(entity switch
                {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ when entity.StartsWith("#x", StringComparison.Ordinal) && int.TryParse(entity[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var x) => Character(x, entity),
                    _ when entity.StartsWith('#') && int.TryParse(entity[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) => Character(n, entity),
                    _ => throw Bad($"unknown entity &{entity};"),
                });
                i += semi;
            }
            return b.ToString();
        }

        /// <summary>A character reference's character; a surrogate or a number past Unicode is no character.</summary>
        static string Character(int codePoint, string entity) =>
            codePoint is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(codePoint) : throw Bad($"&{entity}; is not a character");

        /// <summary>Skips an XML declaration and comments where they stand (they carry nothing for XML-RPC).</summary>
        void SkipMarkup()
        {
            while (true)
            {
                var i = at;
                while (i < xml.Length && char.IsWhiteSpace(xml[i])) i++;
                string? end = xml.AsSpan(i).StartsWith("<?") ? "?>" : xml.AsSpan(i).StartsWith("<!--") ? "-->" : null;
                if (end is null) return;
                var stop = xml.IndexOf(end, i, StringComparison.Ordinal);
                if (stop < 0) throw Bad("unterminated markup");
                at = stop + end.Length;
            }
        }

        static FormatException Bad(string what) => new($"not an XML-RPC request: {what}");
    }
}

/// <summary>An XML-RPC struct: members in the order they were added (as supervisord writes them).</summary>
public sealed class XmlRpcStruct : IEnumerable<KeyValuePair<string, object?>>
{
    readonly List<KeyValuePair<string, object?>> members = [];
    // Where each name is in members: a request's struct of many members is read in linear time.
    readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

    public object? this[string name]
    {
        get => index.TryGetValue(name, out var i) ? members[i].Value : null;
        set
        {
            if (index.TryGetValue(name, out var i)) members[i] = new(name, value);
            else
            {
                index[name] = members.Count;
                members.Add(new(name, value));
            }
        }
    }

    public bool Has(string name) => index.ContainsKey(name);

    public int Count => members.Count;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => members.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>An XML-RPC fault, thrown by a method and written as a fault response.</summary>
public sealed class XmlRpcFault(int code, string text) : Exception(text)
{
    public int Code { get; } = code;
}
