using Corral.Core.Compat.S6;

namespace Corral.Cli.S6;

/// <summary>
/// <c>s6-svwait</c>: waits (without polling: the control API's wait) until all the services
/// (-a), or one of them (-o), are up (-u), ready (-U) or down (-d, -D). -r and -R wait for up and
/// ready: Corral cannot tell a restart still to come from one that has happened.
/// </summary>
public static class Svwait
{
    const string Name = "s6-svwait";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var (request, error) = SvwaitRequest.Parse(args);
        if (request is null) return S6Tools.Usage(Name, error!, SvwaitRequest.Usage);
        if (request.Services.IsEmpty) return 0;
        var condition = S6Control.Condition(request.State);
        if (request.All || request.Services.Length == 1) return new S6Control(Name, env).Wait(request.Services, condition, request.Timeout);
        // One of them: a wait per service; the first to end decides.
        var waits = request.Services.Select(s => Task.Run(() => new S6Control(Name, env).Wait([s], condition, request.Timeout))).ToList();
        var pending = waits.ToList();
        while (pending.Count > 0)
        {
            var done = Task.WhenAny(pending).GetAwaiter().GetResult();
            if (done.Result == 0) return 0;
            pending.Remove(done);
        }
        return waits.Max(w => w.Result);
    }
}
