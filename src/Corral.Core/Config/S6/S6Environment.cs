using Corral.Core.Model.Services;

namespace Corral.Core.Config.S6;

/// <summary>
/// Overview: the environment of an s6 tree's services (cont-init scripts, oneshots, longruns,
/// loggers alike), as s6-overlay gives it:
/// - <c>S6_KEEP_ENV</c> unset or 0 (the default): a clean environment, PATH only (the container's,
///   else s6-overlay's <c>/command:/usr/bin:/bin</c>); scripts get the container's variables back
///   with <c>with-contenv</c>, which reads <c>/run/s6/container_environment</c>;
/// - <c>S6_KEEP_ENV=1</c>: the whole container environment (with-contenv then changes nothing).
/// Either way, every service also gets CORRAL_SOCKET (where the helper commands — s6-svc,
/// s6-svwait … — find Corral) and, under <c>--root DIR</c>, CORRAL_S6_ROOT (where with-contenv
/// finds the container environment). Pure.
/// </summary>
public static class S6Environment
{
    public const string DefaultPath = "/command:/usr/bin:/bin";

    public static bool KeepEnv(IReadOnlyDictionary<string, string> env) =>
        env.GetValueOrDefault("S6_KEEP_ENV")?.Trim() is { Length: > 0 } v && v != "0";

    public static SupervisorConfig Apply(SupervisorConfig config, IReadOnlyDictionary<string, string> env, string socketPath, string root)
    {
        List<KeyValuePair<string, string>> corral = [new("CORRAL_SOCKET", socketPath)];
        if (root.TrimEnd('/').Length > 0) corral.Add(new("CORRAL_S6_ROOT", root));
        if (KeepEnv(env))
            return config with { Services = [.. config.Services.Select(s => s with { Environment = [.. corral, .. s.Environment] })] };
        var path = env.GetValueOrDefault("PATH") is { Length: > 0 } p ? p : DefaultPath;
        return config with
        {
            Services = [.. config.Services.Select(s => s with { InheritEnv = false, Environment = [new("PATH", path), .. corral, .. s.Environment] })],
        };
    }
}
