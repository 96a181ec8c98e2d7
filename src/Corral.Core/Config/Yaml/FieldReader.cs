using System.Collections.Immutable;
using System.Globalization;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Corral.Core.Config.Yaml;

/// <summary>
/// Turns YAML nodes into values and every mistake into a Diagnostic naming file, line and
/// field; it never throws, so a reader collects all the problems of a file in one pass. A
/// method returns null when the value was wrong (the diagnostic is already recorded).
/// </summary>
/// <remarks>
/// Scalars are judged by their text, not their YAML 1.1 type: <c>"3"</c> is a fine integer,
/// <c>no</c> is a fine restart policy, and <c>yes</c> is not a boolean (it is one only in YAML 1.1).
/// </remarks>
internal sealed class FieldReader(string fileName)
{
    readonly ImmutableArray<Diagnostic>.Builder diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();

    public string FileName => fileName;

    public ImmutableArray<Diagnostic> Diagnostics => diagnostics.ToImmutable();

    // Values whose error is reported already (a required ${VAR} that was missing): what the
    // value turned into is no news, but it still counts as an error of whatever it belongs to.
    readonly HashSet<YamlNode> reported = new(ReferenceEqualityComparer.Instance);
    int silenced;

    public int ErrorCount => silenced + diagnostics.Count(d => d.Severity == Severity.Error);

    public SourceLocation At(YamlNode node) => At(node.Start);

    public SourceLocation At(Mark mark) => new(fileName, (int)mark.Line, (int)mark.Column);

    /// <summary>Marks a value whose error is reported: later errors about it are counted, not repeated.</summary>
    public void Reported(YamlNode node) => reported.Add(node);

    public void Error(YamlNode node, string field, string message)
    {
        if (reported.Contains(node)) silenced++;
        else diagnostics.Add(new(At(node), field, message));
    }

    public void Error(SourceLocation where, string field, string message) => diagnostics.Add(new(where, field, message));

    public void Warning(YamlNode node, string field, string message) => diagnostics.Add(new(At(node), field, message, Severity.Warning));

    public static string Path(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "no value",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "something else",
    };

    /// <summary>The text of a scalar with a value; anything else is an error "expected …".</summary>
    public string? Scalar(YamlNode node, string field, string expected)
    {
        if (node is YamlScalarNode s && !IsNull(node)) return s.Value ?? "";
        Error(node, field, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    public string? String(YamlNode node, string field) => Scalar(node, field, "a string");

    public bool? Bool(YamlNode node, string field)
    {
        if (Scalar(node, field, "true or false") is not { } text) return null;
        switch (text.ToLowerInvariant())
        {
            case "true": return true;
            case "false": return false;
            case "yes" or "no" or "on" or "off" or "y" or "n":
                Error(node, field, $"write true or false, not '{text}' (YAML 1.2 has no other booleans)");
                return null;
            default:
                Error(node, field, $"expected true or false, got '{text}'");
                return null;
        }
    }

    public int? Int(YamlNode node, string field, int min, int max)
    {
        if (Scalar(node, field, "an integer") is not { } text) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        Error(node, field, $"expected an integer from {min} to {(max == int.MaxValue ? "2147483647" : max)}, got '{text}'");
        return null;
    }

    public double? Number(YamlNode node, string field, double min)
    {
        if (Scalar(node, field, "a number") is not { } text) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min)
            return value;
        Error(node, field, $"expected a number of at least {min.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
        return null;
    }

    public TimeSpan? Duration(YamlNode node, string field, bool positive = false)
    {
        if (Scalar(node, field, "a duration") is not { } text) return null;
        if (Durations.TryParse(text, out var value) && (!positive || value > TimeSpan.Zero)) return value;
        Error(node, field, $"expected a {(positive ? "positive " : "")}duration such as 500ms, 10s, 1m30s or 2h (a bare number is seconds), got '{text}'");
        return null;
    }

    /// <summary>One of named values, case-insensitive; the message lists <paramref name="allowed"/> (aliases stay unlisted).</summary>
    public T? Choice<T>(YamlNode node, string field, string allowed, params (string Name, T Value)[] choices) where T : struct
    {
        if (Scalar(node, field, $"one of {allowed}") is not { } text) return null;
        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase)) return value;
        }
        Error(node, field, $"unknown value '{text}' ({allowed})");
        return null;
    }

    public YamlMappingNode? Mapping(YamlNode node, string field, string what = "a mapping")
    {
        if (node is YamlMappingNode map) return map;
        Error(node, field, $"expected {what}, got {Describe(node)}");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode node, string field, string what = "a list")
    {
        if (node is YamlSequenceNode list) return list;
        Error(node, field, $"expected {what}, got {Describe(node)}");
        return null;
    }

    /// <summary>
    /// The entries of a mapping whose keys are in <paramref name="allowed"/>; any other key is
    /// reported (with a suggestion when it looks like a typo) and skipped. With
    /// <paramref name="extensions"/>, keys starting "x-" are ignored, as Compose does, so that
    /// they can hold YAML anchors.
    /// </summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Entries(YamlMappingNode map, string field, IReadOnlyList<string> allowed, bool extensions = false)
    {
        foreach (var (keyNode, value) in Children(map, field))
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey || IsNull(keyNode))
            {
                Error(keyNode, field, $"expected a key name, got {Describe(keyNode)}");
                continue;
            }
            if (extensions && key.StartsWith("x-", StringComparison.Ordinal)) continue;
            if (!allowed.Contains(key))
            {
                var suggestion = Suggest(key, allowed);
                Error(keyNode, Path(field, key), $"unknown key '{key}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} (allowed: {string.Join(", ", allowed)})");
                continue;
            }
            yield return (key, scalarKey, value);
        }
    }

    /// <summary>
    /// A mapping's entries in the order written, with YAML merge keys (<c>&lt;&lt;: *defaults</c>,
    /// or a list of aliases) expanded where they stand. A key written in the mapping itself wins
    /// over a merged one, and an earlier merged mapping over a later one, as the YAML merge
    /// spec says. Done here because YamlDotNet's MergingParser rejects such overrides as
    /// duplicate keys.
    /// </summary>
    public List<(YamlNode Key, YamlNode Value)> Children(YamlMappingNode map, string field)
    {
        var entries = new List<(YamlNode Key, YamlNode Value)>();
        var explicitKeys = map.Children.Keys.Where(k => !IsMergeKey(k)).Select(KeyText).ToHashSet(StringComparer.Ordinal);
        var merged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            if (!IsMergeKey(key))
            {
                entries.Add((key, value));
                continue;
            }
            IEnumerable<YamlNode> sources = value is YamlSequenceNode list ? list.Children : [value];
            foreach (var source in sources)
            {
                if (source is not YamlMappingNode other)
                {
                    Error(source, field, "'<<' merges a mapping or a list of mappings (an alias such as *defaults)");
                    continue;
                }
                foreach (var entry in Children(other, field))
                {
                    var text = KeyText(entry.Key);
                    if (!explicitKeys.Contains(text) && merged.Add(text)) entries.Add(entry);
                }
            }
        }
        return entries;
    }

    static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: "<<" };

    static string KeyText(YamlNode key) => key is YamlScalarNode s ? s.Value ?? "" : key.ToString();

    /// <summary>The closest candidate within two edits (a typo), or null.</summary>
    public static string? Suggest(string word, IEnumerable<string> candidates) => EditDistance.Closest(word, candidates);

}
