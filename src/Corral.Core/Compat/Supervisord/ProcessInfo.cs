using System.Globalization;
using Corral.Core.Supervision.Status;

namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// supervisord's process info struct (getProcessInfo, getAllProcessInfo) from the one status
/// model, and the names supervisorctl uses: a service's group is its first group, or its own
/// name (supervisord puts every ungrouped program in a group of its own), so "web:api" and
/// "worker" name the same services to both.
/// </summary>
public static class ProcessInfo
{
    public const string ExitedTooQuickly = "Exited too quickly (process log may have details)";

    public static string GroupOf(ServiceStatus s) => s.Groups.IsDefaultOrEmpty ? s.Name : s.Groups[0];

    /// <summary>"group:name", or "name" when they are the same (supervisor's make_namespec).</summary>
    public static string Namespec(ServiceStatus s) => GroupOf(s) == s.Name ? s.Name : $"{GroupOf(s)}:{s.Name}";

    /// <summary>supervisor's split_namespec: "g:n" → (g, n); "g:*" and "g:" → (g, null); "n" → (n, n).</summary>
    public static (string Group, string? Process) Split(string namespec)
    {
        var colon = namespec.IndexOf(':');
        if (colon < 0) return (namespec, namespec);
        var process = namespec[(colon + 1)..];
        return (namespec[..colon], process is "" or "*" ? null : process);
    }

    /// <summary>
    /// The service a namespec names, or null. Besides supervisord's "group:name", a grouped
    /// service's own name alone is accepted too (Corral's names are unique).
    /// </summary>
    public static ServiceStatus? Find(SupervisorStatus status, string namespec)
    {
        var (group, process) = Split(namespec);
        if (process is null) return null;
        return status.Services.FirstOrDefault(s => s.Name == process && (GroupOf(s) == group || group == process));
    }

    /// <summary>The services of a group (by first group, as the info structs say), or null when there is no such group.</summary>
    public static List<ServiceStatus>? Group(SupervisorStatus status, string group)
    {
        var members = status.Services.Where(s => GroupOf(s) == group).ToList();
        return members.Count == 0 ? null : members;
    }

    /// <summary>The wall-clock time of the snapshot, in Unix seconds.</summary>
    public static long Now(SupervisorStatus status) =>
        Unix(status.Corral.StartedAt.AddSeconds(status.Corral.UptimeSeconds));

    static long Unix(DateTime t) => (long)(DateTime.SpecifyKind(t, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds;

    public static XmlRpcStruct Of(ServiceStatus s, long now)
    {
        var state = ProcessStates.Of(s);
        var start = s.StartedAt is { } started ? Unix(started) : 0;
        var spawnError = state is ProcessStates.Fatal or ProcessStates.Backoff ? s.Reason ?? ExitedTooQuickly : "";
        return new XmlRpcStruct
        {
            ["name"] = s.Name,
            ["group"] = GroupOf(s),
            ["start"] = (int)start,
            ["stop"] = 0,
            ["now"] = (int)now,
            ["state"] = state,
            ["statename"] = ProcessStates.Name(state),
            ["spawnerr"] = spawnError,
            ["exitstatus"] = s.LastExit?.Code ?? 0,
            ["logfile"] = "",
            ["stdout_logfile"] = "",
            ["stderr_logfile"] = "",
            ["pid"] = s.Pid ?? 0,
            ["description"] = Description(s, state, start, now, spawnError),
        };
    }

    /// <summary>
    /// What supervisorctl status shows after the state (supervisord's _interpretProcessInfo).
    /// Corral keeps no stop time, so a stopped service that ran says how it ended instead of when.
    /// </summary>
    public static string Description(ServiceStatus s, int state, long start, long now, string spawnError) => state switch
    {
        ProcessStates.Running => $"pid {s.Pid}, uptime {Uptime(now - start)}",
        ProcessStates.Fatal or ProcessStates.Backoff => spawnError.Length > 0 ? spawnError : $"unknown error (try \"tail {s.Name}\")",
        ProcessStates.Stopped or ProcessStates.Exited => s.LastExit is { } exit ? exit.Text : "Not started",
        _ => "",
    };

    /// <summary>Python's str(timedelta): "0:01:02", "1 day, 2:03:04", "3 days, 0:00:00".</summary>
    public static string Uptime(long seconds)
    {
        if (seconds < 0) seconds = 0;
        var days = seconds / 86400;
        var rest = seconds % 86400;
        var clock = string.Create(CultureInfo.InvariantCulture, $"{rest / 3600}:{rest / 60 % 60:00}:{rest % 60:00}");
        return days == 0 ? clock : $"{days} day{(days == 1 ? "" : "s")}, {clock}";
    }
}
