using System.Globalization;
using Corral.Control;
using Corral.Core.Supervision.Status;

namespace Corral.Cli.S6;

/// <summary>
/// The control API as the s6 helper commands use it: the socket from $CORRAL_SOCKET (which
/// Corral gives every service of an s6 tree), else the run directory's; Corral unreachable or a
/// refusal is a failed system call to them (111), said in s6's words.
/// </summary>
public sealed class S6Control(string program, IReadOnlyDictionary<string, string> env)
{
    readonly ControlClient client = new(ControlSocket.Find(null, env, null), null, null);

    /// <summary>The answer, or null after saying why (the caller exits 111).</summary>
    public ApiResponse? Send(string method, string path, TimeSpan? timeout = null)
    {
        try { return method == "GET" ? client.Get(path, timeout) : client.Post(path, timeout); }
        catch (ControlUnreachableException e)
        {
            S6Tools.Fatal(program, $"unable to talk to the supervisor: {e.Message}");
            return null;
        }
    }

    /// <summary>The status, or null after saying why.</summary>
    public SupervisorStatus? Status()
    {
        if (Send("GET", "v1/status") is not { } response) return null;
        if (response.Status == 200 && response.Read(StatusJson.Default.SupervisorStatus) is { } status) return status;
        S6Tools.Fatal(program, $"unable to read the status: {response.Error}");
        return null;
    }

    /// <summary>
    /// Waits for the services to be in condition (v1/wait: ready, running, down); the exit code
    /// as s6-svwait gives it: 0, 99 timed out, 111 unreachable, n (services that failed for good).
    /// </summary>
    public int Wait(IReadOnlyList<string> services, string condition, TimeSpan? timeout)
    {
        var limit = timeout ?? TimeSpan.FromDays(1);
        var query = $"v1/wait?for={condition}&timeout={((long)limit.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms&service={Uri.EscapeDataString(string.Join(",", services))}";
        if (Send("GET", query, limit + TimeSpan.FromSeconds(10)) is not { } response) return S6Tools.SystemFailure;
        switch (response.Status)
        {
            case 200: return 0;
            case 504: return S6Tools.Fatal(program, response.Error, S6Tools.TimedOut);
            case 409:
                // Hopeless: one "NAME is STATE" per service that will not get there.
                var failed = response.Error.Split("; ").Length;
                return S6Tools.Fatal(program, response.Error, Math.Clamp(failed, 1, 98));
            default: return S6Tools.Fatal(program, response.Error);
        }
    }

    /// <summary>The wait condition of an s6 state letter: u up, U ready, d/D down, r/R up/ready again.</summary>
    public static string Condition(char state) => state switch
    {
        'U' or 'R' => "ready",
        'd' or 'D' => "down",
        _ => "running",
    };
}
