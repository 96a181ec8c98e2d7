using Corral.Core.Compat.S6;

namespace Corral.Cli.S6;

/// <summary>
/// <c>s6-svscanctl -t DIR</c> (and the other ways to end s6-svscan): Corral shuts down, stopping
/// every service in order; -a, -h, -n, -N (rescan): Corral reads the tree again (a reload).
/// </summary>
public static class Svscanctl
{
    const string Name = "s6-svscanctl";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var (request, error) = SvscanctlRequest.Parse(args);
        if (request is null) return S6Tools.Usage(Name, error!, SvscanctlRequest.Usage);
        var path = request.Action switch
        {
            SvscanctlAction.Shutdown => "v1/shutdown",
            SvscanctlAction.Reload => "v1/reload",
            _ => null,
        };
        if (path is null) return 0;
        if (new S6Control(Name, env).Send("POST", path) is not { } response) return S6Tools.SystemFailure;
        return response.Status < 300 ? 0 : S6Tools.Fatal(Name, $"unable to control {request.ScanDir}: {response.Error}");
    }
}
