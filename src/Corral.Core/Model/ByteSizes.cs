using System.Globalization;

namespace Corral.Core.Model;

/// <summary>
/// Sizes as configs write them: 1024, 64KB, 10MB, 1GB (supervisord's units, powers of 1024;
/// KiB, MiB, GiB and a space before the unit are also read).
/// </summary>
public static class ByteSizes
{
    static readonly (string Unit, long Factor)[] units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30),
        ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim().ToUpperInvariant();
        long factor = 1;
        foreach (var (unit, f) in units)
        {
            if (!t.EndsWith(unit, StringComparison.Ordinal)) continue;
            t = t[..^unit.Length].TrimEnd();
            factor = f;
            break;
        }
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        if (n > long.MaxValue / factor) return false;
        bytes = n * factor;
        return true;
    }
}
