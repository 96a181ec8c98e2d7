using Corral.Core.Compat.S6;

namespace Corral.Cli.S6;

/// <summary>
/// <c>s6-svc</c>: each command letter on each service, in order, through the control API:
/// u start, o start (Corral restarts it as its policy says), d stop, r restart, the signal
/// letters send that signal; O and x change nothing (Corral keeps no per-directory supervisor).
/// Then -w…: wait for the state, within -T.
/// </summary>
public static class Svc
{
    const string Name = "s6-svc";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var (request, error) = SvcRequest.Parse(args);
        if (request is null) return S6Tools.Usage(Name, error!, SvcRequest.Usage);
        var control = new S6Control(Name, env);
        var names = Uri.EscapeDataString(string.Join(",", request.Services));
        foreach (var letter in request.Commands)
        {
            var path = letter switch
            {
                'u' or 'o' => $"v1/services/{names}/start",
                'd' => $"v1/services/{names}/stop",
                'r' => $"v1/services/{names}/restart",
                _ when SvcRequest.SignalLetters.TryGetValue(letter, out var signal) => $"v1/services/{names}/signal?signal={signal}",
                _ => null,
            };
            if (path is null) continue;
            if (control.Send("POST", path) is not { } response) return S6Tools.SystemFailure;
            if (response.Status >= 300) return S6Tools.Fatal(Name, $"unable to control {string.Join(", ", request.Services)}: {response.Error}");
        }
        return request.WaitFor is { } state ? control.Wait(request.Services, S6Control.Condition(state), request.Timeout) : 0;
    }
}
