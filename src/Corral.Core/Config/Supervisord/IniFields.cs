using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Config.Supervisord;

/// <summary>
/// Reads supervisord's value types (boolean, integer, byte_size, octal, signal, the
/// environment's KEY=val list) from expanded option values, and collects the diagnostics.
/// A program with numprocs copies is read once per copy: a problem is reported once.
/// </summary>
internal sealed class IniFields
{
    readonly List<Diagnostic> diagnostics = [];
    readonly HashSet<string> seen = [];

    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics;

    public int ErrorCount => diagnostics.Count(d => d.Severity == Severity.Error);

    public void Add(Diagnostic d)
    {
        if (seen.Add(d.ToString())) diagnostics.Add(d);
    }

    public void Error(SourceLocation where, string field, string message) => Add(new Diagnostic(where, field, message));

    public void Warn(SourceLocation where, string field, string message) => Add(new Diagnostic(where, field, message, Severity.Warning));

    public static string Field(IniSection section, IniEntry e) => $"{section.Name}.{e.Key}";

    /// <summary>"not implemented by Corral: KEY (why)": the warning for an option Corral accepts but does not act on.</summary>
    public void NotImplemented(IniSection section, IniEntry e, string why) =>
        Warn(e.Where, Field(section, e), $"not implemented by Corral: {e.Key}{(why.Length > 0 ? " (" + why + ")" : "")}");

    /// <summary>The value with %(…)s expansions done; null after an error.</summary>
    public string? Text(IniSection section, IniEntry e, IniExpansion.Names names)
    {
        var value = IniExpansion.Expand(e.Value, names.Copy().With("here", e.Here), out var error);
        if (value is null) Error(e.Where, Field(section, e), error);
        return value;
    }

    public bool? Boolean(IniSection section, IniEntry e, IniExpansion.Names names)
    {
        if (Text(section, e, names) is not { } text) return null;
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1": return true;
            case "false" or "no" or "off" or "0": return false;
        }
        Error(e.Where, Field(section, e), $"expected true or false, got '{text}'");
        return null;
    }

    public int? Integer(IniSection section, IniEntry e, IniExpansion.Names names, int min)
    {
        if (Text(section, e, names) is not { } text) return null;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min) return n;
        Error(e.Where, Field(section, e), $"expected a whole number of at least {min}, got '{text}'");
        return null;
    }

    /// <summary>supervisord's byte_size: 1024, 10KB, 50MB, 1GB (powers of 1024).</summary>
    public long? ByteSize(IniSection section, IniEntry e, IniExpansion.Names names)
    {
        if (Text(section, e, names) is not { } text) return null;
        var t = text.Trim().ToUpperInvariant();
        long factor = 1;
        foreach (var (suffix, f) in new[] { ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30) })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                t = t[..^2].TrimEnd();
                break;
            }
        }
        if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / factor) return n * factor;
        Error(e.Where, Field(section, e), $"expected a size such as 50MB, 1024 or 0 (sizes: KB, MB, GB), got '{text}'");
        return null;
    }

    /// <summary>supervisord's octal_type: 022, 0o22, 0022.</summary>
    public int? Octal(IniSection section, IniEntry e, IniExpansion.Names names, int max = 511)
    {
        if (Text(section, e, names) is not { } text) return null;
        var digits = text.Trim();
        if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length is > 0 and <= 5 && digits.All(c => c is >= '0' and <= '7'))
        {
            var value = digits.Aggregate(0, (acc, c) => acc * 8 + (c - '0'));
            if (value <= max) return value;
        }
        Error(e.Where, Field(section, e), $"expected an octal number such as 022, got '{text}'");
        return null;
    }

    public int? Signal(IniSection section, IniEntry e, IniExpansion.Names names)
    {
        if (Text(section, e, names) is not { } text) return null;
        if (Signals.TryParse(text, out var signal)) return signal;
        Error(e.Where, Field(section, e), $"unknown signal '{text}' (TERM, HUP, INT, QUIT, KILL, USR1, USR2 …)");
        return null;
    }

    /// <summary>
    /// supervisord's dict_of_key_value_pairs: <c>KEY="val",KEY2=val2</c>. A value in double or
    /// single quotes may hold commas; the quotes are taken off. Unquoted values run to the next
    /// comma (supervisord's lexer also splits at some punctuation there, and refuses the value).
    /// </summary>
    public ImmutableArray<KeyValuePair<string, string>>? Environment(IniSection section, IniEntry e, IniExpansion.Names names)
    {
        if (Text(section, e, names) is not { } text) return null;
        var pairs = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;
            var eq = text.IndexOf('=', i);
            var key = eq < 0 ? "" : text[i..eq].Trim();
            if (key.Length == 0 || key.Contains(','))
            {
                Error(e.Where, Field(section, e), $"expected KEY=value pairs separated by commas (KEY=\"a value\",KEY2=b), got '{text}'");
                return null;
            }
            i = eq + 1;
            while (i < text.Length && text[i] is ' ' or '\t') i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] is '"' or '\'')
            {
                var quote = text[i];
                var close = text.IndexOf(quote, i + 1);
                if (close < 0)
                {
                    Error(e.Where, Field(section, e), $"{key}: unterminated quote in '{text}'");
                    return null;
                }
                value.Append(text, i + 1, close - i - 1);
                i = close + 1;
                while (i < text.Length && text[i] is ' ' or '\t') i++;
                if (i < text.Length && text[i] != ',')
                {
                    Error(e.Where, Field(section, e), $"{key}: expected a comma after the quoted value, got '{text[i..]}'");
                    return null;
                }
            }
            else
            {
                var comma = text.IndexOf(',', i);
                var end = comma < 0 ? text.Length : comma;
                value.Append(text.AsSpan(i, end - i).Trim());
                i = end;
            }
            pairs.Add(new(key, value.ToString()));
            if (i < text.Length && text[i] == ',') i++;
        }
        return pairs.ToImmutable();
    }
}
