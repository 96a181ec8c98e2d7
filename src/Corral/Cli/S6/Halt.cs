namespace Corral.Cli.S6;

/// <summary>
/// s6-overlay's <c>/run/s6/basedir/bin/halt</c>: stop the container. Corral shuts down (services
/// stopped in reverse order) and exits. Arguments are accepted and ignored, as a shutdown is a shutdown.
/// </summary>
public static class Halt
{
    const string Name = "halt";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        if (new S6Control(Name, env).Send("POST", "v1/shutdown") is not { } response) return S6Tools.SystemFailure;
        return response.Status < 300 ? 0 : S6Tools.Fatal(Name, response.Error);
    }
}
