namespace Corral.Control;

/// <summary>Where the control socket is: the default path, and how <c>corral ctl</c> finds it.</summary>
public static class ControlSocket
{
    public const string FileName = "corral.sock";

    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, FileName);

    /// <summary>--socket, else $CORRAL_SOCKET, else the config's control.socket (-c or $CORRAL_CONFIG), else the run directory's.</summary>
    public static string Find(string? option, IReadOnlyDictionary<string, string> env, string? configSocket) =>
        option ?? (env.TryGetValue("CORRAL_SOCKET", out var s) && s.Length > 0 ? s : null)
        ?? configSocket ?? PathIn(Config.RunDirectory.Of(env));
}
