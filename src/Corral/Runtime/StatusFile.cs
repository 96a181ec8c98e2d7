using System.Text.Json;
using Corral.Core.Supervision.Status;

namespace Corral.Runtime;

/// <summary>
/// The status of a running <c>corral run</c>, as a small JSON file replaced atomically (written
/// beside, then renamed) after every change, so <c>corral healthcheck</c> reads a whole snapshot
/// without waking Corral. Location: $CORRAL_RUN_DIR/status.json, default /run/corral.
/// </summary>
public static class StatusFile
{
    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, "status.json");

    /// <summary>Writes the snapshot; returns an error in words, or null.</summary>
    public static string? Write(string path, SupervisorStatus status)
    {
        var temp = path + ".tmp";
        try
        {
            using (var stream = File.Create(temp))
            using (var w = new Utf8JsonWriter(stream, Os.Logging.JsonLines.Options))
                JsonSerializer.Serialize(w, status, StatusJson.Default.SupervisorStatus);
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
            // Parsed first, so that text that is not JSON is told apart from JSON of another shape.
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            try
            {
                if (doc.Deserialize(StatusJson.Default.SupervisorStatus) is { } status) return status;
            }
            catch (JsonException) { }
            // A field missing or of another type: another version of Corral wrote it, or something else did.
            error = $"cannot read the status file {path}: not a status file this Corral can read (written by another version of Corral?)";
        }
        catch (FileNotFoundException) { error = $"no status file at {path}: is corral run running?"; }
        catch (DirectoryNotFoundException) { error = $"no status file at {path}: is corral run running?"; }
        catch (JsonException) { error = $"cannot read the status file {path}: not valid JSON"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the status file {path}: {Os.Logging.Problems.Describe(e)}";
        }
        return null;
    }
}
