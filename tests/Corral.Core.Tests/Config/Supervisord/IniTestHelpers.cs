using System.Collections.Immutable;
using Corral.Core.Config.Supervisord;
using Corral.Core.Config.Yaml;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Config.Supervisord;

internal static class IniTestHelpers
{
    public static readonly Dictionary<string, string> Env = new() { ["HOME"] = "/root", ["PORT"] = "8080" };

    public const string Main = "[supervisord]\nnodaemon=true\n";

    /// <summary>Reads /etc/sv/supervisord.conf with the given includes (pattern → files).</summary>
    public static ReadResult Read(string text, Dictionary<string, IncludeMatch>? includes = null) =>
        SupervisordConfigReader.ReadModel(text, "/etc/sv/supervisord.conf", "/etc/sv", new SupervisordHost(Env, "box"),
            p => includes?.GetValueOrDefault(p) ?? new IncludeMatch([]));

    /// <summary>The config read without errors (warnings allowed).</summary>
    public static SupervisorConfig Clean(string text, Dictionary<string, IncludeMatch>? includes = null)
    {
        var r = Read(text, includes);
        Assert.True(r.Diagnostics.All(d => d.Severity == Severity.Warning), string.Join("\n", r.Diagnostics));
        return r.Config!;
    }

    public static ServiceSpec Program(string body, string name = "web") =>
        Assert.Single(Clean($"{Main}[program:{name}]\n{body}").Services);

    public static ImmutableArray<Diagnostic> Problems(string text) => Read(text).Diagnostics;

    public static Diagnostic OnlyError(string text) =>
        Assert.Single(Read(text).Diagnostics, d => d.Severity == Severity.Error);
}
