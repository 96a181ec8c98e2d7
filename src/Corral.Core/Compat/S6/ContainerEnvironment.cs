using System.Collections.Immutable;

namespace Corral.Core.Compat.S6;

/// <summary>
/// Overview: s6-overlay's container environment, <c>/run/s6/container_environment/</c>: one file
/// per variable of the environment the container was started with, named as the variable, holding
/// its value as is (no newline added). <c>with-contenv</c> reads it back as <c>s6-envdir -Lfn</c>
/// does: the whole file (not just its first line), nothing trimmed, a NUL byte read as a newline,
/// and an empty file unsets the variable. Pure: the executable writes and reads the files.
/// </summary>
public static class ContainerEnvironment
{
    public const string Directory = "run/s6/container_environment";

    /// <summary>The files to write: variables whose name can be a file name (no '/', not "." or "..", no '=' or NUL).</summary>
    public static ImmutableArray<KeyValuePair<string, string>> Files(IReadOnlyDictionary<string, string> env) =>
        [.. env.Where(e => IsFileName(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal)];

    static bool IsFileName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(['/', '=', '\0']) < 0;

    /// <summary>
    /// The environment with-contenv gives PROG: its own, with each file's variable set (or unset,
    /// for an empty file), as s6-envdir -Lfn applies a directory.
    /// </summary>
    public static List<string> Apply(IEnumerable<string> current, IEnumerable<(string Name, string Content)> files)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in current)
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0) continue;
            var key = entry[..eq];
            if (values.TryAdd(key, entry[(eq + 1)..])) order.Add(key);
        }
        foreach (var (name, content) in files)
        {
            if (!IsFileName(name)) continue;
            if (content.Length == 0)
            {
                values.Remove(name);
                continue;
            }
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = content.Replace('\0', '\n');
        }
        return [.. order.Where(values.ContainsKey).Select(k => $"{k}={values[k]}")];
    }
}
