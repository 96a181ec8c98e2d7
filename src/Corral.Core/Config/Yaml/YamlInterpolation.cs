using Corral.Core.Model.Services;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Corral.Core.Config.Yaml;

/// <summary>
/// Replaces variables in every scalar value of a loaded YAML tree (not in keys), before any
/// value is typed, so that <c>restart_delay: ${DELAY:-1s}</c> is read as a duration. Problems
/// are reported at the scalar's line with the field it belongs to.
/// </summary>
/// <remarks>
/// An alias is the very node its anchor names, so each node is visited once: "$$" must not
/// turn into "$" on a first visit and be read as a variable on a second.
/// </remarks>
internal static class YamlInterpolation
{
    public static void Apply(YamlNode root, Func<string, string?> lookup, FieldReader r) =>
        Visit(root, "", lookup, r, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));

    static void Visit(YamlNode node, string field, Func<string, string?> lookup, FieldReader r, HashSet<YamlNode> seen)
    {
        if (!seen.Add(node)) return;
        switch (node)
        {
            case YamlScalarNode { Value: { } text } scalar when text.Contains('$'):
                var (value, problems) = Interpolation.Apply(text, lookup);
                scalar.Value = value;
                // What a variable gave is a string, even "" or "null": never a missing value.
                if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any) scalar.Style = ScalarStyle.DoubleQuoted;
                foreach (var p in problems)
                {
                    if (p.Severity == Severity.Error) r.Error(node, field, p.Message);
                    else r.Warning(node, field, p.Message);
                }
                // What a failed substitution left ("" for a duration, say) needs no second error.
                if (problems.Any(p => p.Severity == Severity.Error)) r.Reported(node);
                break;
            case YamlMappingNode map:
                foreach (var (key, child) in map.Children)
                    Visit(child, FieldReader.Path(field, key is YamlScalarNode { Value: { } k } ? k : "?"), lookup, r, seen);
                break;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++) Visit(list.Children[i], $"{field}[{i}]", lookup, r, seen);
                break;
        }
    }
}
