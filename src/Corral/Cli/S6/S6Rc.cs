using Corral.Core.Compat.S6;
using Corral.Core.Supervision.Services;
using Corral.Os.Logging;

namespace Corral.Cli.S6;

/// <summary>
/// <c>s6-rc</c>: <c>-u change NAME…</c> starts the services (bundles are Corral groups) and waits
/// until they are up as s6-rc means it (ready, or a oneshot done); <c>-d change NAME…</c> stops
/// them and waits until they are down; <c>-a list</c> prints the services that are up, one a line;
/// <c>list NAME…</c> and <c>listall NAME…</c> the services the names stand for. Exit codes as
/// s6-rc's: 1 when a service failed to change state, 111 when Corral cannot be reached.
/// </summary>
public static class S6Rc
{
    const string Name = "s6-rc";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var (request, error) = S6RcRequest.Parse(args);
        if (request is null) return S6Tools.Usage(Name, error!, S6RcRequest.Usage);
        var control = new S6Control(Name, env);
        switch (request.Command)
        {
            case "help":
                StdIo.Out(S6RcRequest.Usage);
                return 0;
            case "change":
                if (request.Names.IsEmpty) return 0;
                var names = Uri.EscapeDataString(string.Join(",", request.Names));
                if (control.Send("POST", $"v1/services/{names}/{(request.Up ? "start" : "stop")}") is not { } response) return S6Tools.SystemFailure;
                if (response.Status >= 300) return S6Tools.Fatal(Name, response.Error, 1);
                var code = control.Wait(request.Names, request.Up ? "ready" : "down", request.Timeout);
                return code is 0 or S6Tools.SystemFailure ? code : 1;
            default:
                if (control.Status() is not { } status) return S6Tools.SystemFailure;
                var (picked, unknown) = status.Pick(request.Names);
                if (unknown.Count > 0) return S6Tools.Fatal(Name, $"unknown service names: {string.Join(", ", unknown)}", 3);
                var listed = request.Active
                    ? picked.Where(s => s.Pid is not null || s.State == ServiceState.Succeeded)
                    : picked;
                foreach (var s in listed) StdIo.Out(s.Name + "\n");
                return 0;
        }
    }
}
