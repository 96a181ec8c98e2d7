using System.Globalization;
using System.Text;

namespace Corral.Core.Config.Supervisord;

/// <summary>
/// supervisord's expansions: Python's <c>%</c> formatting with a dictionary, as its
/// <c>expand()</c> does it. <c>%(name)s</c>, <c>%(name)d</c>, <c>%(name)02d</c> (any flags and
/// width), <c>%%</c> for a percent sign. A name that is not known, or any other <c>%</c>, is an
/// error, as in supervisord (a literal percent is written <c>%%</c>).
/// </summary>
public static class IniExpansion
{
    /// <summary>The widest field an expansion may pad to (%(process_num)04d).</summary>
    public const int MaxWidth = 4096;

    /// <summary>The names a value may use: strings (here, program_name, ENV_X …) and numbers (process_num, numprocs).</summary>
    public sealed class Names
    {
        readonly Dictionary<string, object> values = new(StringComparer.Ordinal);

        public Names With(string name, string value)
        {
            values[name] = value;
            return this;
        }

        public Names With(string name, int value)
        {
            values[name] = value;
            return this;
        }

        public Names WithEnvironment(IReadOnlyDictionary<string, string> environment)
        {
            foreach (var (k, v) in environment) values["ENV_" + k] = v;
            return this;
        }

        public Names Copy()
        {
            var copy = new Names();
            foreach (var (k, v) in values) copy.values[k] = v;
            return copy;
        }

        internal bool TryGet(string name, out object value) => values.TryGetValue(name, out value!);
    }

    /// <summary>The value with every expansion done, or null and an error that says which one failed.</summary>
    public static string? Expand(string text, Names names, out string error)
    {
        error = "";
        if (!text.Contains('%')) return text;
        var b = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '%')
            {
                b.Append(c);
                i++;
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == '%')
            {
                b.Append('%');
                i += 2;
                continue;
            }
            if (i + 1 >= text.Length || text[i + 1] != '(')
            {
                error = $"a '%' at character {i + 1} that is not an expansion such as %(here)s; write %% for a percent sign";
                return null;
            }
            var close = text.IndexOf(')', i + 2);
            if (close < 0)
            {
                error = $"unterminated expansion at character {i + 1}: expected %(name)s";
                return null;
            }
            var name = text[(i + 2)..close];
            var j = close + 1;
            var flagsStart = j;
            while (j < text.Length && text[j] is '-' or '+' or ' ' or '#' or '0') j++;
            var flags = text[flagsStart..j];
            var widthStart = j;
            while (j < text.Length && char.IsAsciiDigit(text[j])) j++;
            // Python pads to any width its memory allows; a width past MaxWidth is a mistake, not a wish for gigabytes.
            var width = 0;
            if (j > widthStart && (!int.TryParse(text[widthStart..j], NumberStyles.None, CultureInfo.InvariantCulture, out width) || width > MaxWidth))
            {
                error = $"expansion %({name}) at character {i + 1}: a width of {text[widthStart..j]} is more than {MaxWidth}";
                return null;
            }
            if (j >= text.Length || text[j] is not ('s' or 'd' or 'i' or 'r'))
            {
                error = $"expansion %({name}) at character {i + 1} needs a type after it: s for text, d for a number (%({name})s)";
                return null;
            }
            var conversion = text[j];
            if (!names.TryGet(name, out var value))
            {
                error = name.StartsWith("ENV_", StringComparison.Ordinal)
                    ? $"%({name})s: the environment variable {name[4..]} is not set"
                    : $"%({name})s: unknown name (known here: here, program_name, process_num, numprocs, group_name, host_node_name, ENV_*)";
                return null;
            }
            string formatted;
            if (conversion is 'd' or 'i')
            {
                if (value is not int number)
                {
                    error = $"%({name}){conversion}: '{value}' is not a number (use %({name})s)";
                    return null;
                }
                formatted = number.ToString(CultureInfo.InvariantCulture);
                if (flags.Contains('+') && number >= 0) formatted = "+" + formatted;
                if (flags.Contains('0') && !flags.Contains('-') && formatted.Length < width)
                {
                    var sign = formatted[0] is '-' or '+' ? formatted[..1] : "";
                    formatted = sign + formatted[sign.Length..].PadLeft(width - sign.Length, '0');
                }
            }
            else formatted = value is int n ? n.ToString(CultureInfo.InvariantCulture) : (string)value;
            formatted = flags.Contains('-') ? formatted.PadRight(width) : formatted.PadLeft(width);
            b.Append(formatted);
            i = j + 1;
        }
        return b.ToString();
    }
}
