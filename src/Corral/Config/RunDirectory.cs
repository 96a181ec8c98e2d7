namespace Corral.Config;

/// <summary>
/// Where a running Corral keeps its control socket, its status file and its notify sockets:
/// $CORRAL_RUN_DIR, or /run/corral. Every verb that looks for a running Corral asks here.
/// </summary>
public static class RunDirectory
{
    public const string Default = "/run/corral";

    public static string Of(IReadOnlyDictionary<string, string> env) =>
        env.TryGetValue("CORRAL_RUN_DIR", out var dir) && dir.Length > 0 ? dir : Default;
}
