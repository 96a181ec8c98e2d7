using System.Globalization;

namespace Corral.Core.Compat.S6;

/// <summary>skarnet's timeouts: milliseconds, 0 meaning "no timeout".</summary>
public static class Milliseconds
{
    public static bool TryParse(string text, out TimeSpan? timeout)
    {
        timeout = null;
        if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return false;
        if (ms > 0) timeout = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
