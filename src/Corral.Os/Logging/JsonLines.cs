using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Corral.Os.Logging;

/// <summary>
/// The one JSON shape of a log line, wherever one is written (the relay with
/// <c>log_format: json</c>, Corral's own messages, <c>corral ctl logs --json</c>), and the one
/// set of writer options for every JSON Corral writes. Text stays readable: only what JSON
/// requires is escaped (quotes, backslashes, control characters), not apostrophes, '&lt;' or
/// non-ASCII letters, which the default encoder escapes for HTML's sake.
/// </summary>
public static class JsonLines
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>A line a service wrote: {"time","service","stream","message"} and a newline.</summary>
    public static void Output(IBufferWriter<byte> output, DateTime time, string service, string stream, string message)
    {
        using (var w = new Utf8JsonWriter(output, Options))
        {
            w.WriteStartObject();
            w.WriteString("time", Time(time));
            w.WriteString("service", service);
            w.WriteString("stream", stream);
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        output.Write("\n"u8);
    }

    /// <summary>A message of Corral's own: {"time","source":"corral","level",["service"],"message"} and a newline.</summary>
    public static void Own(IBufferWriter<byte> output, DateTime time, string level, string? service, string message)
    {
        using (var w = new Utf8JsonWriter(output, Options))
        {
            w.WriteStartObject();
            w.WriteString("time", Time(time));
            w.WriteString("source", "corral");
            w.WriteString("level", level);
            if (service is not null) w.WriteString("service", service);
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        output.Write("\n"u8);
    }

    static string Time(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
