using System.Text;
using System.Text.Json;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Os.Logging;
using Corral.Os.Files;

namespace Corral.Runtime;

/// <summary>
/// How lines look on Corral's outputs: "name | line" with names padded to one width and, on a
/// terminal (unless NO_COLOR is set), a colour per service; or one JSON object per line.
/// Corral's own messages start with "[corral]" so they stand apart from any service's.
/// </summary>
public sealed class LogStyle
{
    static readonly string[] palette = ["36", "33", "32", "35", "34", "96", "93", "92", "95", "94"];
    readonly Dictionary<string, string> colors = new(StringComparer.Ordinal);
    readonly int width;
    readonly bool color;
    readonly bool json;
    readonly int verbosity;

    public LogStyle(SupervisorConfig config, IReadOnlyDictionary<string, string> env, int verbosity)
    {
        json = config.LogFormat == LogFormat.Json;
        this.verbosity = verbosity;
        width = config.Services.Max(s => s.Name.Length);
        color = !json && config.Color switch
        {
            ColorMode.Always => true,
            ColorMode.Never => false,
            _ => !env.ContainsKey("NO_COLOR") && Descriptors.IsTerminal(Descriptors.StandardOutput),
        };
        var i = 0;
        foreach (var s in config.Services) colors[s.Name] = palette[i++ % palette.Length];
    }

    /// <summary>The colour of a service: fixed at start for the config's services, by name for ones a reload adds.</summary>
    string ColorOf(string name)
    {
        if (colors.TryGetValue(name, out var c)) return c;
        var hash = 0;
        foreach (var ch in name) hash = hash * 31 + ch;
        return palette[(hash & int.MaxValue) % palette.Length];
    }

    /// <summary>Where Corral's own messages go once the log pump runs (so the loop never blocks on output).</summary>
    public Action<int, byte[]>? Writer { get; set; }

    /// <summary>Keeps recent lines for <c>corral ctl logs</c> (services' and Corral's own), when set.</summary>
    public Control.LogRing? Ring { get; set; }

    public LogSource Source(ServiceSpec spec, string stream, int targetFd)
    {
        var asJson = (spec.Logs.Format ?? (json ? LogFormat.Json : LogFormat.Text)) == LogFormat.Json;
        var prefix = !spec.Logs.Prefix ? "" :
            color ? $"\u001b[{ColorOf(spec.Name)}m{spec.Name.PadRight(width)} |\u001b[0m " : $"{spec.Name.PadRight(width)} | ";
        var ring = Ring;
        var name = spec.Name;
        return new LogSource(spec.Name, stream, targetFd, asJson, Encoding.UTF8.GetBytes(prefix))
        {
            Tap = ring?.Writer(name, stream),
        };
    }

    /// <summary>Writes one of Corral's own messages to stderr, if the verbosity lets it through.</summary>
    public void Say(Log log)
    {
        var level = log.Level switch { LogLevel.Error => 0, LogLevel.Warning => 1, LogLevel.Info => 1, _ => 2 };
        if (level > verbosity) return;
        Ring?.Add("corral", "stderr", log.Service is null ? log.Message : $"{log.Service}: {log.Message}");
        var bytes = Line(log);
        if (Writer is { } writer) writer(Descriptors.StandardError, bytes);
        else Output.Write(Descriptors.StandardError, bytes);
    }

    /// <summary>One of Corral's own messages as a line of its output: "[corral] warning: …", or a JSON object.</summary>
    public byte[] Line(Log log)
    {
        string line;
        if (json)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            JsonLines.Own(buffer, Os.WallClock.Now, log.Level.ToString().ToLowerInvariant(), log.Service, log.Message);
            line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        else
        {
            var text = log.Service is null ? log.Message : $"{log.Service}: {log.Message}";
            var tag = log.Level switch { LogLevel.Error => "error: ", LogLevel.Warning => "warning: ", _ => "" };
            line = color ? $"\u001b[1m[corral]\u001b[0m {tag}{text}\n" : $"[corral] {tag}{text}\n";
        }
        return Encoding.UTF8.GetBytes(line);
    }
}
