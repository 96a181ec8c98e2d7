using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Corral.Core.Model.Services;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Corral.Core.Config.Yaml;

/// <summary>
/// Corral's native config, <c>corral.yaml</c>: Compose-like <c>services:</c> with s6's
/// longrun/oneshot. A pure function from text to model + diagnostics.
/// </summary>
/// <remarks>
/// Overview: only YamlDotNet's RepresentationModel is used (a node tree that keeps line and
/// column), never its serializer, which needs reflection that NativeAOT cannot offer. Every
/// unknown key, wrong type and bad value becomes a Diagnostic and reading goes on, so one run
/// shows all the problems of a file. Read returns the config only when there is no error;
/// ReadModel returns what could be read, for the plan's checks to run on as well.
/// </remarks>
public static partial class YamlConfigReader
{
    static readonly string[] topKeys = ["services", "shutdown_timeout", "log_format", "color", "control"];

    /// <param name="directory">
    /// The directory that relative paths in the file (control.socket, control.tcp.password_file)
    /// start from: the file's own, made absolute by the caller (Core reads no working directory).
    /// Without it, they are relative to <paramref name="fileName"/> as written.
    /// </param>
    public static (SupervisorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Read(string text, string fileName, string? directory = null)
    {
        var result = ReadModel(text, fileName, environment: null, directory);
        return (result.Diagnostics.Any(d => d.Severity == Severity.Error) ? null : result.Config, result.Diagnostics);
    }

    /// <summary>
    /// Reads as much as can be read: the config even when it has errors (services with errors
    /// hold what was right in them, and are named in Incomplete), so that the plan's checks
    /// can run too. Config is null only when the text is not YAML. With an
    /// <paramref name="environment"/>, variables in values are replaced first (Compose's
    /// interpolation); without, values are taken as written. <paramref name="directory"/> as in
    /// <see cref="Read"/>.
    /// </summary>
    public static ReadResult ReadModel(string text, string fileName, IReadOnlyDictionary<string, string>? environment, string? directory = null)
    {
        var r = new FieldReader(fileName);
        var incomplete = new HashSet<string>(StringComparer.Ordinal);
        SupervisorConfig? config = null;
        if (Load(text, r) is { } root)
        {
            if (environment is not null) YamlInterpolation.Apply(root, name => environment.GetValueOrDefault(name), r);
            config = ReadTop(root, r, fileName, directory ?? Path.GetDirectoryName(fileName) ?? "", incomplete);
        }
        return new ReadResult(config, incomplete.ToImmutableHashSet(StringComparer.Ordinal), r.Diagnostics);
    }

    static YamlNode? Load(string text, FieldReader r)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            // Start is where the construct began, End is the problem, except for a tab, where
            // YamlDotNet points at the mapping that contains it.
            var where = e.Message.Contains("tab", StringComparison.Ordinal) && YamlSyntaxHints.FirstTabIndentedLine(text) is { } line
                ? new SourceLocation(r.FileName, line, 1)
                : r.At(e.End.Line > 0 ? e.End : e.Start);
            // "found invalid mapping", "mapping values are not allowed": maybe the ': ' trap.
            var hint = e.Message.Contains("mapping", StringComparison.OrdinalIgnoreCase) ? YamlSyntaxHints.ColonInPlainValue(text, where.Line) : null;
            r.Error(where, "", "YAML syntax error: " + (hint ?? Describe(e)));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet's scanner throws these on some broken input (an unclosed "[" before a
            // "key:"); the last event it read is the best place we know.
            r.Error(r.At(parser.LastEnd), "", "YAML syntax error: cannot read on after this point (an unclosed bracket or quote?)");
            return null;
        }
        if (stream.Documents.Count == 0)
        {
            r.Error(new SourceLocation(r.FileName, 1), "", "the file is empty; it needs a 'services:' mapping");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            r.Error(stream.Documents[1].RootNode, "", "expected one YAML document, found several (remove the second '---')");
            return null;
        }
        return stream.Documents[0].RootNode;
    }

    // YamlDotNet prefixes its messages with "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the
    // diagnostic has the line already. Inner exceptions (a duplicate key) say more.
    static string Describe(YamlException e)
    {
        var message = PositionPrefix().Replace(e.Message, "");
        if (e.InnerException is { } inner && inner.Message.Length > 0 && !message.Contains(inner.Message, StringComparison.Ordinal))
            message += " (" + PositionPrefix().Replace(inner.Message, "") + ")";
        return message;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    static SupervisorConfig? ReadTop(YamlNode root, FieldReader r, string fileName, string directory, HashSet<string> incomplete)
    {
        if (r.Mapping(root, "", "a mapping with a 'services:' key at the top") is not { } map) return null;
        var config = new SupervisorConfig { Services = [], Source = fileName };
        var sawServices = false;
        foreach (var (key, _, value) in r.Entries(map, "", topKeys, extensions: true))
        {
            switch (key)
            {
                case "services":
                    sawServices = true;
                    config = config with { Services = ReadServices(value, r, incomplete) };
                    break;
                case "shutdown_timeout":
                    if (r.Duration(value, key) is { } timeout) config = config with { ShutdownTimeout = timeout };
                    break;
                case "log_format":
                    if (r.Choice(value, key, "text, json", logFormats) is { } format) config = config with { LogFormat = format };
                    break;
                case "color":
                    if (r.Choice(value, key, "auto, always, never", colorModes) is { } color) config = config with { Color = color };
                    break;
                case "control":
                    if (ControlSection.ReadControl(value, r, directory) is { } control) config = config with { Control = control };
                    break;
            }
        }
        if (!sawServices) r.Error(root, "services", "missing 'services:', the mapping of service names to their settings");
        return config;
    }

    internal static readonly (string, LogFormat)[] logFormats = [("text", LogFormat.Text), ("json", LogFormat.Json)];

    static readonly (string, ColorMode)[] colorModes =
        [("auto", ColorMode.Auto), ("always", ColorMode.Always), ("never", ColorMode.Never), ("true", ColorMode.Always), ("false", ColorMode.Never)];

    static ImmutableArray<ServiceSpec> ReadServices(YamlNode node, FieldReader r, HashSet<string> incomplete)
    {
        if (r.Mapping(node, "services", "a mapping of service names to their settings") is not { } map) return [];
        var entries = r.Children(map, "services");
        if (entries.Count == 0)
        {
            r.Error(node, "services", "no services defined");
            return [];
        }
        var services = ImmutableArray.CreateBuilder<ServiceSpec>();
        foreach (var (keyNode, value) in entries)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } nameNode || FieldReader.IsNull(keyNode))
            {
                r.Error(keyNode, "services", "expected a service name");
                continue;
            }
            if (!ServiceName().IsMatch(name))
            {
                r.Error(keyNode, "services." + name, $"'{name}' is not a valid service name (a letter or digit, then letters, digits, '_', '.', '-')");
                incomplete.Add(name);
                continue;
            }
            var errors = r.ErrorCount;
            var spec = ServiceSection.ReadService(nameNode, name, value, r);
            if (spec is not null) services.Add(spec);
            if (spec is null || r.ErrorCount > errors) incomplete.Add(name);
        }
        return services.ToImmutable();
    }

    /// <summary>How deep mappings and lists may nest: a config needs a handful of levels.</summary>
    public const int MaxNesting = 64;

    /// <summary>
    /// Remembers where the last event ended, to place errors YamlDotNet reports without a
    /// position, and stops at <see cref="MaxNesting"/> levels: YamlDotNet's scanner takes time
    /// quadratic in the nesting ("[[[[…" five thousand deep took seconds) and its node tree is
    /// built by recursion.
    /// </summary>
    sealed class TrackingParser(IParser inner) : IParser
    {
        int depth;

        public Mark LastEnd { get; private set; } = new(0, 1, 1);

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (!moved || inner.Current is not { } e) return moved;
            LastEnd = e.End;
            if (e is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart && ++depth > MaxNesting)
                throw new YamlException(e.Start, e.End, $"mappings and lists nested more than {MaxNesting} deep");
            if (e is YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd) depth--;
            return moved;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    internal static partial Regex ServiceName();
}

/// <summary>What <see cref="YamlConfigReader.ReadModel"/> could read: the config as far as it was right, the services with errors, and every problem.</summary>
public sealed record ReadResult(SupervisorConfig? Config, ImmutableHashSet<string> Incomplete, ImmutableArray<Diagnostic> Diagnostics);
