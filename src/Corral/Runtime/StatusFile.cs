using System.Collections.Immutable;
using System.Text.Json;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Runtime;

/// <summary>
/// The status of a running <c>corral run</c>, as a small JSON file replaced atomically (written
/// beside, then renamed) after every change, so <c>corral healthcheck</c> reads a whole snapshot
/// without waking Corral. Location: $CORRAL_RUN_DIR/status.json, default /run/corral.
/// </summary>
public static class StatusFile
{
    public const string DefaultRunDirectory = "/run/corral";

    public static string RunDirectory(IReadOnlyDictionary<string, string> env) =>
        env.TryGetValue("CORRAL_RUN_DIR", out var dir) && dir.Length > 0 ? dir : DefaultRunDirectory;

    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, "status.json");

    /// <summary>Writes the snapshot; returns an error in words, or null.</summary>
    public static string? Write(string path, SupervisorStatus status)
    {
        var temp = path + ".tmp";
        try
        {
            using (var stream = File.Create(temp))
            using (var w = new Utf8JsonWriter(stream, Os.Logging.JsonLines.Options))
            {
                w.WriteStartObject();
                w.WriteNumber("corral_pid", status.CorralPid);
                w.WriteBoolean("shutting_down", status.ShuttingDown);
                w.WriteStartArray("services");
                foreach (var s in status.Services)
                {
                    w.WriteStartObject();
                    w.WriteString("name", s.Name);
                    w.WriteString("type", s.Type == ServiceType.Oneshot ? "oneshot" : "longrun");
                    w.WriteString("state", s.State.ToString().ToLowerInvariant());
                    w.WriteBoolean("ready", s.Ready);
                    w.WriteBoolean("live", s.Live);
                    w.WriteStartArray("groups");
                    foreach (var g in s.Groups) w.WriteStringValue(g);
                    w.WriteEndArray();
                    w.WriteNumber("pid", s.Pid);
                    w.WriteNumber("restarts", s.Restarts);
                    if (s.Reason is not null) w.WriteString("reason", s.Reason);
                    if (s.StatusText is not null) w.WriteString("status", s.StatusText);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            File.Move(temp, path, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write the status file {path}: {Os.Logging.Problems.Describe(e)}";
        }
    }

    /// <summary>Reads a snapshot, or says why it cannot.</summary>
    public static SupervisorStatus? Read(string path, out string? error)
    {
        error = null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var services = ImmutableArray.CreateBuilder<ServiceStatus>();
            foreach (var s in root.GetProperty("services").EnumerateArray())
            {
                services.Add(new ServiceStatus(
                    s.GetProperty("name").GetString()!,
                    s.GetProperty("type").GetString() == "oneshot" ? ServiceType.Oneshot : ServiceType.Longrun,
                    Enum.Parse<ServiceState>(s.GetProperty("state").GetString()!, ignoreCase: true),
                    s.GetProperty("ready").GetBoolean(),
                    s.GetProperty("live").GetBoolean(),
                    s.GetProperty("pid").GetInt32(),
                    s.GetProperty("restarts").GetInt32(),
                    s.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
                    s.TryGetProperty("status", out var text) ? text.GetString() : null,
                    [.. s.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!)]));
            }
            return new SupervisorStatus(root.GetProperty("corral_pid").GetInt32(), root.GetProperty("shutting_down").GetBoolean(), services.ToImmutable());
        }
        catch (FileNotFoundException) { error = $"no status file at {path}: is corral run running?"; }
        catch (DirectoryNotFoundException) { error = $"no status file at {path}: is corral run running?"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            var why = e switch
            {
                JsonException => "not valid JSON",
                IOException or UnauthorizedAccessException => Os.Logging.Problems.Describe(e),
                // A field missing or of another type: another version of Corral wrote it, or something else did.
                _ => "not a status file this Corral can read (written by another version of Corral?)",
            };
            error = $"cannot read the status file {path}: {why}";
        }
        return null;
    }
}
