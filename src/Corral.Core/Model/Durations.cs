using System.Globalization;

namespace Corral.Core.Model;

/// <summary>Durations as users write them: "100ms", "10s", "1.5s", "5m", "1h", "1m30s"; a bare number is seconds.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var t = text.Trim();
        if (t.Length == 0) return false;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            return TryFromMilliseconds(bare * 1000, out value);
        }
        var total = 0.0;
        var i = 0;
        while (i < t.Length)
        {
            var start = i;
            while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] == '.')) i++;
            if (i == start) return false;
            if (!double.TryParse(t[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = i;
            while (i < t.Length && char.IsAsciiLetter(t[i])) i++;
            double? ms = t[unitStart..i].ToLowerInvariant() switch
            {
                "ms" => 1, "s" => 1000, "m" => 60_000, "h" => 3_600_000, "d" => 86_400_000,
                _ => null,
            };
            if (ms is null) return false;
            total += number * ms.Value;
        }
        return TryFromMilliseconds(total, out value);
    }

    // Anything beyond a year is a mistake, and TimeSpan itself overflows not far above.
    static bool TryFromMilliseconds(double ms, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (double.IsNaN(ms) || ms < 0 || ms > 366 * 86_400_000.0) return false;
        value = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    /// <summary>"1.5s", "250ms", "2m": the shortest readable form.</summary>
    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 ? $"{value.TotalMilliseconds:0.#}ms"
        : value.TotalSeconds < 120 ? $"{value.TotalSeconds:0.###}s".Replace(",", ".")
        : $"{value.TotalMinutes:0.##}m";
}
