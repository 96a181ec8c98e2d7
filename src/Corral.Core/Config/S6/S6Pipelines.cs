using System.Collections.Immutable;
using Corral.Core.Compat.S6;
using Corral.Core.Model.Services;

namespace Corral.Core.Config.S6;

/// <summary>
/// Overview: s6's pipelines, read into <see cref="ServiceSpec.StdoutTo"/> and
/// <see cref="ServiceSpec.ReadsPipe"/>:
/// - a longrun's <c>log/run</c> (services.d, and s6-rc.d for symmetry) is a logger: a longrun of
///   its own, NAME-log, run in NAME/log, whose stdin is NAME's stdout, as s6-svscan wires a
///   service directory's log/ subdirectory;
/// - s6-rc's <c>producer-for</c> (one consumer) and <c>consumer-for</c> (one or more producers,
///   a funnel) name the two ends; both files may say it, and they must agree;
/// - <c>pipeline-name</c> (on the last consumer) names a bundle of the whole pipeline: here the
///   group of that name, so that `s6-rc change NAME` and `corral ctl restart NAME` act on all.
/// A producer starts after its consumer has started and stops before it, so the last lines of a
/// producer reach a logger that is still there. Pure.
/// </summary>
public static class S6Pipelines
{
    /// <summary>The logger of a longrun with a <c>log/run</c>, and the producer wired to it.</summary>
    public static (ServiceSpec Producer, ServiceSpec Logger) Logger(ServiceSpec producer, S6Definition d)
    {
        var name = ServiceDirectory.LoggerName(producer.Name);
        var where = new SourceLocation($"{d.Directory.TrimEnd('/')}/log/run", 1);
        var logger = new ServiceSpec
        {
            Name = name,
            Command = [where.File],
            WorkingDir = $"{d.Directory.TrimEnd('/')}/log",
            Restart = RestartPolicy.Always,
            MemberOf = producer.MemberOf,
            AutoStart = producer.AutoStart,
            // It needs what its service needs (a directory a cont-init script makes …).
            DependsOn = producer.DependsOn,
            ReadsPipe = true,
            Ready = NotificationFd(d, "log/notification-fd") is { } fd ? new ReadySpec(ReadinessKind.NotifyFd, fd) : null,
            Where = where,
        };
        return (producer with { StdoutTo = name, DependsOn = [.. producer.DependsOn, new Dependency(name, DependencyCondition.Started, where)] }, logger);
    }

    static int? NotificationFd(S6Definition d, string file) =>
        d.Files.GetValueOrDefault(file)?.Trim() is { Length: > 0 } text && int.TryParse(text, out var fd) && fd is >= 3 and <= 1023 ? fd : null;

    /// <summary>Wires producer-for / consumer-for / pipeline-name among the s6-rc longruns read.</summary>
    public static List<ServiceSpec> Wire(List<ServiceSpec> services, IReadOnlyList<S6Definition> definitions, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var consumerOf = new Dictionary<string, (string Consumer, SourceLocation Where)>(StringComparer.Ordinal);
        foreach (var d in definitions.Where(d => byName.ContainsKey(d.Name)))
        {
            foreach (var (file, isProducer) in new[] { ("producer-for", true), ("consumer-for", false) })
            {
                if (d.Files.GetValueOrDefault(file) is not { } text) continue;
                var where = new SourceLocation($"{d.Directory.TrimEnd('/')}/{file}", 1);
                var names = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (isProducer && names.Length != 1)
                {
                    diagnostics.Add(new(where, "", "a producer feeds exactly one consumer: name one service"));
                    continue;
                }
                foreach (var other in names)
                {
                    if (!byName.TryGetValue(other, out var peer) || peer.Type != ServiceType.Longrun || byName[d.Name].Type != ServiceType.Longrun)
                    {
                        diagnostics.Add(new(where, "", $"'{other}' is not a longrun of this tree (both ends of a pipeline are longruns)"));
                        continue;
                    }
                    var (producer, consumer) = isProducer ? (d.Name, other) : (other, d.Name);
                    if (consumerOf.TryGetValue(producer, out var known) && known.Consumer != consumer)
                        diagnostics.Add(new(where, "", $"'{producer}' already feeds '{known.Consumer}' ({known.Where.File}); a producer has one consumer"));
                    else consumerOf[producer] = (consumer, where);
                }
            }
        }
        var pipelineOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in definitions.Where(d => byName.ContainsKey(d.Name)))
        {
            if (d.Files.GetValueOrDefault("pipeline-name")?.Trim() is not { Length: > 0 } pipeline) continue;
            // Everything upstream of this consumer belongs to the pipeline.
            var members = new HashSet<string>(StringComparer.Ordinal) { d.Name };
            for (var grew = true; grew;)
            {
                grew = false;
                foreach (var (producer, (consumer, _)) in consumerOf)
                    if (members.Contains(consumer) && members.Add(producer)) grew = true;
            }
            foreach (var m in members) pipelineOf[m] = pipeline;
        }
        var consumers = consumerOf.Values.Select(c => c.Consumer).ToHashSet(StringComparer.Ordinal);
        // A consumer runs when one of its producers does, wanted or not by itself.
        var wanted = consumerOf.Where(p => byName[p.Key].AutoStart).Select(p => p.Value.Consumer).ToHashSet(StringComparer.Ordinal);
        return [.. services.Select(s =>
        {
            if (wanted.Contains(s.Name)) s = s with { AutoStart = true };
            if (consumerOf.TryGetValue(s.Name, out var c))
                s = s with { StdoutTo = c.Consumer, DependsOn = [.. s.DependsOn, new Dependency(c.Consumer, DependencyCondition.Started, c.Where)] };
            if (consumers.Contains(s.Name)) s = s with { ReadsPipe = true };
            if (pipelineOf.TryGetValue(s.Name, out var p) && !s.MemberOf.Contains(p)) s = s with { MemberOf = [.. s.MemberOf, p] };
            return s;
        })];
    }
}
