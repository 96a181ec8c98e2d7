using System.Collections.Immutable;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using YamlDotNet.RepresentationModel;

namespace Corral.Core.Config.Yaml;

// The process's surroundings: identity, umask, limits, environment and where its output goes.
internal static class ProcessFields
{
    /// <summary>A umask is always octal, as umask(1) reads it: 27, "027", 0o27 and 0027 all mean 0o027.</summary>
    internal static int? ReadUmask(YamlNode node, string field, FieldReader r)
    {
        if (r.Scalar(node, field, "an octal mask such as \"027\"") is not { } text) return null;
        var digits = text.Trim();
        if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length is > 0 and <= 4 && digits.All(c => c is >= '0' and <= '7'))
        {
            var value = digits.Aggregate(0, (acc, c) => acc * 8 + (c - '0'));
            if (value <= 511) return value; // 0777
        }
        r.Error(node, field, $"expected an octal mask from 000 to 777 such as \"027\" or 0o022, got '{text}'");
        return null;
    }

    /// <summary>name → 1024 | "1024:4096" | unlimited | {soft, hard}; names as setrlimit(2)'s without RLIMIT_.</summary>
    internal static ImmutableArray<ResourceLimit> ReadLimits(YamlNode node, string field, FieldReader r)
    {
        if (r.Mapping(node, field, "a mapping such as {nofile: 1024, core: unlimited}") is not { } map) return [];
        var limits = ImmutableArray.CreateBuilder<ResourceLimit>();
        foreach (var (keyNode, value) in r.Children(map, field))
        {
            if (r.Scalar(keyNode, field, "a resource name") is not { } key) continue;
            var f = field + "." + key;
            var name = key.ToLowerInvariant();
            if (name.StartsWith("rlimit_", StringComparison.Ordinal)) name = name[7..];
            if (!ResourceLimit.Names.Contains(name))
            {
                var suggestion = FieldReader.Suggest(name, ResourceLimit.Names);
                r.Error(keyNode, f, $"unknown resource '{key}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} ({string.Join(", ", ResourceLimit.Names)})");
                continue;
            }
            if (limits.Any(l => l.Resource == name))
            {
                r.Error(keyNode, f, $"'{name}' is limited twice");
                continue;
            }
            string? values = null;
            if (value is YamlMappingNode pair)
            {
                YamlNode? softNode = null, hardNode = null;
                foreach (var (k, _, v) in r.Entries(pair, f, ["soft", "hard"]))
                {
                    if (k == "soft") softNode = v; else hardNode = v;
                }
                if (softNode is null || hardNode is null)
                {
                    r.Error(value, f, "needs both soft and hard");
                    continue;
                }
                var soft = r.Scalar(softNode, f + ".soft", "a limit");
                var hard = r.Scalar(hardNode, f + ".hard", "a limit");
                if (soft is null || hard is null) continue;
                values = soft + ":" + hard;
            }
            else values = r.Scalar(value, f, "a limit such as 1024, \"1024:4096\", unlimited or {soft, hard}");
            if (values is null) continue;
            if (ResourceLimit.TryParse(name + "=" + values, out var limit, out var error)) limits.Add(limit!);
            else r.Error(value, f, error + " (a number, unlimited, or SOFT:HARD)");
        }
        return limits.ToImmutable();
    }

    internal static ImmutableArray<KeyValuePair<string, string>> ReadEnvironment(YamlNode node, string field, FieldReader r)
    {
        var variables = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (keyNode, value) in r.Children(map, field))
                {
                    if (r.Scalar(keyNode, field, "a variable name") is not { } name || !IsVariableName(name, keyNode, field, r)) continue;
                    var f = field + "." + name;
                    if (FieldReader.IsNull(value))
                    {
                        r.Warning(value, f, $"'{name}' has no value and is skipped (write {name}: \"\" for an empty value)");
                        continue;
                    }
                    if (r.Scalar(value, f, "a string value") is { } text) variables.Add(new(name, text));
                }
                break;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var item = list.Children[i];
                    var f = $"{field}[{i}]";
                    if (r.Scalar(item, f, "a \"NAME=value\" string") is not { } text) continue;
                    var eq = text.IndexOf('=');
                    if (eq < 0)
                    {
                        r.Warning(item, f, $"'{text}' has no value and is skipped (write {text}= for an empty value)");
                        continue;
                    }
                    if (IsVariableName(text[..eq], item, f, r)) variables.Add(new(text[..eq], text[(eq + 1)..]));
                }
                break;
            default:
                r.Mapping(node, field, "a mapping of names to values, or a list of \"NAME=value\" strings");
                break;
        }
        return variables.ToImmutable();
    }

    // execve takes any bytes but '=' and NUL in a name; Corral asks only for that much.
    static bool IsVariableName(string name, YamlNode node, string field, FieldReader r)
    {
        if (name.Length > 0 && !name.Contains('=') && !name.Contains('\0')) return true;
        r.Error(node, field, name.Length == 0 ? "a variable needs a name before '='" : $"'{name}' is not a variable name");
        return false;
    }

    static readonly string[] logKeys = ["prefix", "stdout", "stderr", "format"];

    internal static LogSpec? ReadLogs(YamlNode node, string field, FieldReader r)
    {
        if (r.Mapping(node, field, "a mapping with prefix, stdout, stderr, format") is not { } map) return null;
        var logs = LogSpec.Default;
        foreach (var (key, _, value) in r.Entries(map, field, logKeys))
        {
            var f = field + "." + key;
            switch (key)
            {
                case "prefix":
                    if (r.Bool(value, f) is { } prefix) logs = logs with { Prefix = prefix };
                    break;
                case "stdout":
                    if (ReadLogTarget(value, f, r) is { } stdout) logs = logs with { Stdout = stdout };
                    break;
                case "stderr":
                    if (ReadLogTarget(value, f, r) is { } stderr) logs = logs with { Stderr = stderr };
                    break;
                case "format":
                    if (r.Choice(value, f, "text, json", YamlConfigReader.logFormats) is { } format) logs = logs with { Format = format };
                    break;
            }
        }
        return logs;
    }

    /// <summary>
    /// inherit, discard, or a file. A file path must contain a '/' (./web.log), so that a
    /// misspelt "inhert" is an error and not a file of that name. The mapping form names a file
    /// with rotation ({file, max_bytes, backups}) and also_stdout/also_stderr (the lines go to
    /// Corral's own stream as well).
    /// </summary>
    static LogTarget? ReadLogTarget(YamlNode node, string field, FieldReader r)
    {
        if (node is YamlMappingNode map) return ReadLogFile(map, field, r);
        if (r.Scalar(node, field, "inherit, discard, a file path or a mapping with file") is not { } text) return null;
        if (text.Equals("inherit", StringComparison.OrdinalIgnoreCase)) return LogTarget.Inherit;
        if (text.Equals("discard", StringComparison.OrdinalIgnoreCase)) return LogTarget.Discard;
        if (text.Contains('/')) return new LogTarget(LogTargetKind.File, text);
        var file = Path.HasExtension(text) ? text : text + ".log";
        r.Error(node, field, $"unknown value '{text}' (inherit, discard, or a file path containing '/', such as ./{file})");
        return null;
    }

    /// <summary>Old files kept when max_bytes is given without backups (supervisord's default).</summary>
    public const int DefaultBackups = 10;

    static LogTarget? ReadLogFile(YamlMappingNode map, string field, FieldReader r)
    {
        // stdout's copy goes to Corral's stdout, stderr's to its stderr: the key says which.
        var stream = field[(field.LastIndexOf('.') + 1)..];
        var also = "also_" + stream;
        string? path = null;
        long maxBytes = 0;
        int? backups = null;
        var alsoInherit = false;
        YamlNode? backupsNode = null;
        var ok = true;
        foreach (var (key, _, value) in r.Entries(map, field, ["file", "max_bytes", "backups", also]))
        {
            var f = field + "." + key;
            switch (key)
            {
                case "file":
                    if (r.Scalar(value, f, "a file path") is not { } text) ok = false;
                    else if (!text.Contains('/'))
                    {
                        r.Error(value, f, $"a file path must contain '/', such as ./{text}");
                        ok = false;
                    }
                    else path = text;
                    break;
                case "max_bytes":
                    if (r.Scalar(value, f, "a size") is not { } size) ok = false;
                    else if (!ByteSizes.TryParse(size, out maxBytes))
                    {
                        r.Error(value, f, $"expected a size such as 10MB, 512KB or 1048576 (0: never rotate), got '{size}'");
                        ok = false;
                    }
                    break;
                case "backups":
                    backupsNode = value;
                    if (r.Int(value, f, 0, 1000) is { } n) backups = n;
                    else ok = false;
                    break;
                default:
                    if (r.Bool(value, f) is { } b) alsoInherit = b;
                    else ok = false;
                    break;
            }
        }
        if (path is null)
        {
            if (ok) r.Error(map, field, "the mapping form needs file: (a path containing '/', such as ./app.log)");
            return null;
        }
        if (maxBytes == 0 && backups > 0 && backupsNode is not null)
            r.Warning(backupsNode, field + ".backups", "has no effect without max_bytes (the file is never rotated)");
        return ok ? new LogTarget(LogTargetKind.File, path, maxBytes, maxBytes > 0 ? backups ?? DefaultBackups : 0, alsoInherit) : null;
    }
}
