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
            if (bare < 0 || double.IsNaN(bare) || double.IsInfinity(bare)) return false;
            value = TimeSpan.FromSeconds(bare);
            return true;
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
        value = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>"1.5s", "250ms", "2m": the shortest readable form.</summary>
    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 ? $"{value.TotalMilliseconds:0.#}ms"
        : value.TotalSeconds < 120 ? $"{value.TotalSeconds:0.###}s".Replace(",", ".")
        : $"{value.TotalMinutes:0.##}m";
}
