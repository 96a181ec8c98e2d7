using System.Text;

namespace Corral.Core.Supervision.Events;

/// <summary>The payloads supervisord writes (supervisor/events.py), field for field.</summary>
public static class EventPayloads
{
    /// <summary>
    /// PROCESS_STATE_*: <c>processname:cat groupname:cat from_state:STARTING pid:2766</c>, with
    /// tries (STARTING, BACKOFF), pid (RUNNING, STOPPING, STOPPED) or expected and pid (EXITED).
    /// </summary>
    public static ListenerEvent ProcessState(string state, string process, string group, string fromState, int pid, int tries, bool expected)
    {
        var text = new StringBuilder($"processname:{process} groupname:{group} from_state:{fromState}");
        switch (state)
        {
            case "STARTING" or "BACKOFF": text.Append($" tries:{tries}"); break;
            case "RUNNING" or "STOPPING" or "STOPPED": text.Append($" pid:{pid}"); break;
            case "EXITED": text.Append($" expected:{(expected ? 1 : 0)} pid:{pid}"); break;
        }
        return new ListenerEvent($"PROCESS_STATE_{state}", text.ToString());
    }

    /// <summary>TICK_5, TICK_60, TICK_3600: <c>when:1201063880</c>, the epoch second the period began.</summary>
    public static ListenerEvent Tick(int period, long epochSeconds) => new($"TICK_{period}", $"when:{epochSeconds - epochSeconds % period}");

    /// <summary>PROCESS_LOG_STDOUT / _STDERR: a header line, then the data as the process wrote it.</summary>
    public static ListenerEvent ProcessLog(bool stderr, string process, string group, int pid, string data) =>
        new(stderr ? "PROCESS_LOG_STDERR" : "PROCESS_LOG_STDOUT",
            $"processname:{process} groupname:{group} pid:{pid} channel:{(stderr ? "stderr" : "stdout")}\n{data}");

    public static ListenerEvent SupervisorState(bool running) =>
        new(running ? "SUPERVISOR_STATE_CHANGE_RUNNING" : "SUPERVISOR_STATE_CHANGE_STOPPING", "");

    public static ListenerEvent GroupChange(bool added, string group) =>
        new(added ? "PROCESS_GROUP_ADDED" : "PROCESS_GROUP_REMOVED", $"groupname:{group}\n");
}
