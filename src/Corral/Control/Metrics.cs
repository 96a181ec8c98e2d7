using System.Globalization;
using System.Text;
using Corral.Core.Supervision.Services;
using Corral.Core.Supervision.Status;
using Corral.Os.Pid1;

namespace Corral.Control;

/// <summary>
/// /metrics in the Prometheus text exposition format (version 0.0.4): per service up, ready,
/// healthy, restarts, last exit code, start time, CPU seconds and resident memory of its
/// process group (a gauge: it is the processes alive now); and Corral's own uptime, reaped orphans, CPU and memory.
/// </summary>
public static class Metrics
{
    public static string Render(SupervisorStatus s, IReadOnlyDictionary<int, ProcessUsage> byGroup, ProcessUsage? self, int serverWakes)
    {
        var b = new StringBuilder();
        Family(b, "corral_service_up", "gauge", "1 when the service's process is running, else 0.",
            s.Services.Select(v => (v, Num(v.Pid is not null && v.State is ServiceState.Running or ServiceState.Stopping ? 1 : 0))));
        Family(b, "corral_service_ready", "gauge", "1 when the service is running and ready.",
            s.Services.Select(v => (v, Num(v.Ready ? 1 : 0))));
        Family(b, "corral_service_healthy", "gauge", "1 when the service is healthy as corral healthcheck means it: a longrun running, ready and live; a oneshot that succeeded.",
            s.Services.Select(v => (v, Num(v.Healthy ? 1 : 0))));
        Family(b, "corral_service_restarts_total", "counter", "Automatic restarts of the service since Corral started it.",
            s.Services.Select(v => (v, Num(v.Restarts))));
        Family(b, "corral_service_last_exit_code", "gauge", "Exit code of the service's last process (128+N when killed by signal N); absent before its first exit.",
            s.Services.Where(v => v.LastExit is not null).Select(v => (v, Num(v.LastExit!.ShellCode()))));
        Family(b, "corral_service_start_time_seconds", "gauge", "Start time of the service's current process, in seconds since the Unix epoch.",
            s.Services.Where(v => v.StartedAt is not null).Select(v => (v, Num(Epoch(v.StartedAt!.Value)))));
        var usage = s.Services.Where(v => v.ProcessGroup is { } g && byGroup.ContainsKey(g)).ToList();
        // A gauge, not a counter: it falls when a process of the group exits and takes its time along.
        Family(b, "corral_service_cpu_seconds", "gauge", "User and system CPU time of the processes now in the service's process group.",
            usage.Select(v => (v, Num(byGroup[v.ProcessGroup!.Value].CpuSeconds))));
        Family(b, "corral_service_resident_memory_bytes", "gauge", "Resident memory of the processes in the service's process group.",
            usage.Select(v => (v, Num(byGroup[v.ProcessGroup!.Value].ResidentBytes))));
        // State as a one-hot gauge, the usual form for an enumeration.
        b.Append("# HELP corral_service_state The service's state: 1 for the state it is in.\n# TYPE corral_service_state gauge\n");
        foreach (var v in s.Services)
            foreach (var state in Enum.GetValues<ServiceState>())
                b.Append("corral_service_state{service=\"").Append(Escape(v.Name)).Append("\",state=\"").Append(state.ToString().ToLowerInvariant())
                    .Append("\"} ").Append(v.State == state ? '1' : '0').Append('\n');

        Single(b, "corral_uptime_seconds", "gauge", "Seconds since Corral started.", Num(s.Corral.UptimeSeconds));
        Single(b, "corral_start_time_seconds", "gauge", "Corral's start time, in seconds since the Unix epoch.", Num(Epoch(s.Corral.StartedAt)));
        Single(b, "corral_reaped_orphans_total", "counter", "Processes reaped that were not a service's main process.", Num(s.Corral.ReapedOrphans));
        Single(b, "corral_services", "gauge", "Services in the configuration in force.", Num(s.Services.Length));
        Single(b, "corral_shutting_down", "gauge", "1 while Corral is shutting down.", Num(s.Corral.ShuttingDown ? 1 : 0));
        Single(b, "corral_control_server_wakes_total", "counter", "Times the control server was started by a connection after sleeping.", Num(serverWakes));
        if (self is { } me)
        {
            Single(b, "corral_cpu_seconds_total", "counter", "Corral's own user and system CPU time.", Num(me.CpuSeconds));
            Single(b, "corral_resident_memory_bytes", "gauge", "Corral's own resident memory.", Num(me.ResidentBytes));
        }
        return b.ToString();
    }

    static void Family(StringBuilder b, string name, string type, string help, IEnumerable<(ServiceStatus Service, string Value)> samples)
    {
        b.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        b.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (service, value) in samples)
            b.Append(name).Append("{service=\"").Append(Escape(service.Name)).Append("\"} ").Append(value).Append('\n');
    }

    static void Single(StringBuilder b, string name, string type, string help, string value) =>
        b.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
         .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
         .Append(name).Append(' ').Append(value).Append('\n');

    static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    static double Epoch(DateTime utc) => (utc - DateTime.UnixEpoch).TotalSeconds;

    /// <summary>Label values escape backslash, double quote and newline.</summary>
    static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
