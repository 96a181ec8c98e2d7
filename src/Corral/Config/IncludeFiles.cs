using System.Collections.Immutable;
using Corral.Core.Config.Supervisord;
using Corral.Os.Logging;

namespace Corral.Config;

/// <summary>
/// supervisord.conf's [include] files= patterns: Python's glob.glob, sorted. '*', '?' and
/// '[…]' in any part of the path; names starting with '.' only match a pattern that starts
/// with '.'. The Core reader gets the texts of what matched.
/// </summary>
public static class IncludeFiles
{
    public static IncludeMatch Match(string pattern)
    {
        var paths = Glob(pattern).Where(File.Exists).Order(StringComparer.Ordinal).ToList();
        var files = ImmutableArray.CreateBuilder<IniText>();
        foreach (var path in paths)
        {
            try { files.Add(new IniText(path, File.ReadAllText(path), Path.GetDirectoryName(path) ?? "/")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new IncludeMatch([], $"cannot read {path}: {Problems.Describe(e)}");
            }
        }
        return new IncludeMatch(files.ToImmutable());
    }

    static IEnumerable<string> Glob(string pattern)
    {
        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> found = [pattern.StartsWith('/') ? "/" : "."];
        foreach (var part in parts)
        {
            if (!HasMagic(part))
            {
                found = found.Select(p => Path.Combine(p, part)).Where(p => Path.Exists(p)).ToList();
                continue;
            }
            var regex = new System.Text.RegularExpressions.Regex("^" + ToRegex(part) + "$");
            found = found.Where(Directory.Exists).SelectMany(dir =>
            {
                try
                {
                    return Directory.EnumerateFileSystemEntries(dir)
                        .Where(p => Path.GetFileName(p) is var name && regex.IsMatch(name) && (!name.StartsWith('.') || part.StartsWith('.')))
                        .ToList();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
            }).ToList();
        }
        return found.Select(p => p.StartsWith("./", StringComparison.Ordinal) && !pattern.StartsWith("./", StringComparison.Ordinal) ? p[2..] : p);
    }

    static bool HasMagic(string part) => part.IndexOfAny(['*', '?', '[']) >= 0;

    static string ToRegex(string part)
    {
        var b = new System.Text.StringBuilder();
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            switch (c)
            {
                case '*': b.Append(".*"); break;
                case '?': b.Append('.'); break;
                case '[' when part.IndexOf(']', i + 1) is var close and > 0:
                    var set = part[(i + 1)..close];
                    b.Append('[').Append(set.StartsWith('!') ? "^" + System.Text.RegularExpressions.Regex.Escape(set[1..]) : System.Text.RegularExpressions.Regex.Escape(set)).Append(']');
                    i = close;
                    break;
                default: b.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString())); break;
            }
        }
        return b.ToString();
    }
}
