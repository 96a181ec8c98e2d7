using System.Globalization;
using Corral.Core.Compat.S6;
using Corral.Core.Model;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using Corral.Os.Logging;

namespace Corral.Cli.S6;

/// <summary>
/// <c>s6-svstat</c>: the service's state as s6-svstat prints it. The summary:
/// <c>up (pid 123) 45 seconds</c> or <c>down (exitcode 0)</c> / <c>down (signal SIGTERM)</c>, then
/// <c>, want up</c> / <c>, want down</c> when Corral is taking it the other way, and <c>, ready</c>.
/// Corral keeps no time of a service's going down or becoming ready, so those durations are left
/// out of the summary and are -1 as fields. With options, the fields asked for, on one line.
/// </summary>
public static class Svstat
{
    const string Name = "s6-svstat";

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env)
    {
        var (request, error) = SvstatRequest.Parse(args);
        if (request is null) return S6Tools.Usage(Name, error!, SvstatRequest.Usage);
        if (new S6Control(Name, env).Status() is not { } status) return S6Tools.SystemFailure;
        if (status.Service(request.Service) is not { } s)
            return S6Tools.Fatal(Name, $"unable to read status for {request.Service}: no such service");
        StdIo.Out((request.Fields.IsEmpty ? Summary(s, request.NumericSignals) : string.Join(" ", request.Fields.Select(f => Field(s, f)))) + "\n");
        return 0;
    }

    static string Summary(ServiceStatus s, bool numeric)
    {
        var text = s.Pid is { } pid
            ? $"up (pid {pid}) {(long)s.UptimeSeconds} seconds"
            : s.LastExit is { Signal: { } signal } ? $"down (signal {(numeric && Signals.TryParse(signal, out var n) ? n.ToString(CultureInfo.InvariantCulture) : signal)})"
            : $"down (exitcode {s.LastExit?.Code ?? 0})";
        if (s.Pid is null && s.Goal == GoalKind.Up) text += ", want up";
        else if (s.Pid is not null && s.Goal != GoalKind.Up) text += ", want down";
        if (s.Pid is not null && s.Ready) text += ", ready";
        return text;
    }

    static string Field(ServiceStatus s, string field)
    {
        var up = s.Pid is not null;
        static string Bool(bool b) => b ? "true" : "false";
        var signum = s.LastExit is { Signal: { } sig } && Signals.TryParse(sig, out var n) ? n : -1;
        return field switch
        {
            "up" => Bool(up),
            "wantedup" or "normallyup" => Bool(s.Goal == GoalKind.Up),
            "ready" => Bool(up && s.Ready),
            "paused" => "false",
            "pid" => (s.Pid ?? -1).ToString(CultureInfo.InvariantCulture),
            "pgid" => (s.ProcessGroup ?? -1).ToString(CultureInfo.InvariantCulture),
            "exitcode" => (!up && s.LastExit is { Code: { } code } ? code : -1).ToString(CultureInfo.InvariantCulture),
            "signal" => !up && s.LastExit?.Signal is { } name ? name : "NA",
            "signum" => (up ? -1 : signum).ToString(CultureInfo.InvariantCulture),
            "updownfor" => (up ? (long)s.UptimeSeconds : -1).ToString(CultureInfo.InvariantCulture),
            _ => "-1",
        };
    }
}
