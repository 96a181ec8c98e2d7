using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Supervision.Events;

/// <summary>
/// Overview: supervisord's PROCESS_STATE_* events from Corral's service machine. Every state
/// change passes through <see cref="ServiceMachine"/>; each is told here (with the state it
/// came from) and said the way supervisord's process would say it, in supervisord's states
/// (supervisor/process.py): STARTING until startsecs (RUNNING then, see <see cref="Sweep"/>),
/// BACKOFF after a failed start, then FATAL; a process that had started and exits is EXITED
/// (then STARTING again when autorestart says so); a stop is STOPPING then STOPPED. Where
/// Corral passes through states supervisord has no words for (Waiting on a fresh start), no
/// event is sent; where it skips one supervisord shows (the last failed start goes straight to
/// FATAL in Corral), the missing one is sent first. SUPERVISOR_STATE_CHANGE_STOPPING comes
/// before the first process event of a shutdown, as in supervisord.
/// </summary>
internal sealed class ProcessStateEvents(Func<string, bool> wants, Func<bool> shuttingDown)
{
    readonly Dictionary<string, (string State, int Pid)> reported = new(StringComparer.Ordinal);
    bool stoppingSaid;

    /// <summary>supervisord's group of a process: its [group:x], or its program's name.</summary>
    public static string GroupOf(ServiceSpec spec) => spec.MemberOf.IsDefaultOrEmpty ? spec.Name : spec.MemberOf[0];

    public void Running(Decision d) => Add(EventPayloads.SupervisorState(running: true), d);

    /// <summary>The supervisor's own STOPPING, once, when a shutdown has begun.</summary>
    public void CheckShutdown(Decision d)
    {
        if (stoppingSaid || !shuttingDown()) return;
        stoppingSaid = true;
        Add(EventPayloads.SupervisorState(running: false), d);
    }

    /// <summary>The service's machine moved it from <paramref name="from"/> to its state now.</summary>
    public void Moved(ServiceRecord r, ServiceState from, Decision d)
    {
        var (shown, _) = Reported(r.Name);
        switch (r.State)
        {
            case ServiceState.Starting:
                Say(r, "STARTING", d, tries: r.Crashes.FailedStarts);
                break;
            case ServiceState.Stopping:
                Say(r, "STOPPING", d);
                break;
            case ServiceState.Exited:
                var asked = from is ServiceState.Stopping or ServiceState.Waiting or ServiceState.Backoff || r.Goal.Kind != GoalKind.Up;
                if (asked) Say(r, "STOPPED", d);
                else Say(r, "EXITED", d, expected: Expected(r));
                break;
            case ServiceState.Succeeded:
                Say(r, "EXITED", d, expected: true);
                break;
            case ServiceState.Backoff:
                if (shown is "RUNNING" or "STOPPING")
                {
                    // A process that had started exited: EXITED, and supervisord starts it again at once.
                    Say(r, "EXITED", d, expected: Expected(r));
                    // Corral's own backoff (no startsecs) waits first; supervisorctl shows BACKOFF meanwhile.
                    if (r.Spec.StartSeconds is null) Say(r, "BACKOFF", d, tries: r.Crashes.Consecutive);
                }
                else Say(r, "BACKOFF", d, tries: r.Crashes.FailedStarts);
                break;
            case ServiceState.Failed:
                if (shown == "STARTING")
                {
                    // The last failed start: supervisord enters BACKOFF before it gives up.
                    Say(r, "BACKOFF", d, tries: r.Crashes.FailedStarts + 1);
                    Say(r, "FATAL", d);
                }
                else if (shown is "RUNNING" or "STOPPING")
                {
                    Say(r, "EXITED", d, expected: Expected(r));
                    if (r.Restarts > 0) Say(r, "FATAL", d);
                }
                else Say(r, "FATAL", d);
                break;
            case ServiceState.Skipped:
                Say(r, "STOPPED", d);
                break;
        }
        if (r.Pid > 0) Remember(r.Name, r.Pid);
    }

    /// <summary>After each event: a process that has been up startsecs (ready) is RUNNING now.</summary>
    public void Sweep(IEnumerable<ServiceRecord> records, Decision d)
    {
        foreach (var r in records)
        {
            if (r.State != ServiceState.Running || !r.IsReady || Reported(r.Name).State != "STARTING") continue;
            Remember(r.Name, r.Pid);
            Say(r, "RUNNING", d);
        }
        CheckShutdown(d);
    }

    static bool Expected(ServiceRecord r) => r.LastExit is { WasSignaled: false } s && r.Spec.SuccessExitCodes.Contains(s.Code);

    (string State, int Pid) Reported(string name) => reported.GetValueOrDefault(name, ("STOPPED", 0));

    void Remember(string name, int pid) => reported[name] = (Reported(name).State, pid);

    void Say(ServiceRecord r, string state, Decision d, int tries = 0, bool expected = false)
    {
        var (from, lastPid) = Reported(r.Name);
        if (from == state) return;
        var pid = r.Pid > 0 ? r.Pid : lastPid;
        // Once stopped, a process has no pid to speak of any more; supervisord's STOPPED and EXITED still name the one that ended.
        reported[r.Name] = (state, state is "STOPPED" or "EXITED" or "FATAL" or "BACKOFF" ? 0 : pid);
        var e = EventPayloads.ProcessState(state, r.Name, GroupOf(r.Spec), from, pid, tries, expected);
        if (!wants(e.Name)) return;
        CheckShutdown(d);
        Add(e, d);
    }

    void Add(ListenerEvent e, Decision d)
    {
        if (wants(e.Name)) d.Add(new EmitEvent(e));
    }
}
