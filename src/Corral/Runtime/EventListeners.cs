using System.Text;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Events;
using Corral.Core.Supervision.Services;
using Corral.Os.Files;
using Corral.Os.Native;

namespace Corral.Runtime;

/// <summary>
/// Overview: supervisord's event listeners, on the event loop. The pure <see cref="EventBus"/>
/// decides what goes where; this writes it to the listeners' stdin (non-blocking: one event at
/// a time is in a listener's pipe, and a listener that does not read never holds up the loop),
/// feeds back what they write, and keeps the one tick timer, armed only while some listener
/// subscribes to a TICK (an idle Corral otherwise makes no wake-up for it). Everything here
/// runs on the loop thread: listener output and PROCESS_LOG data arrive as events.
/// </summary>
public sealed class EventListeners(LogStyle style, Func<string, bool> running)
{
    /// <summary>The timer key of the ticks (one timer for every period).</summary>
    public const string TickDue = "event listener ticks";

    readonly EventBus bus = new();
    readonly TickClock ticks = new();
    readonly Dictionary<string, (int Pid, int Stdin)> attached = new(StringComparer.Ordinal);
    readonly Dictionary<int, string> byPid = [];

    /// <summary>Whether any listener is configured at all (nothing here costs anything otherwise).</summary>
    public bool Any => !bus.IsEmpty;

    /// <summary>The pools of a plan (at start and after each reload); the tick timer armed or not accordingly.</summary>
    public void Configure(Core.Planning.Plan plan, TimerQueue<object> timers, TimeSpan now)
    {
        bus.Configure(plan.StartOrder);
        if (bus.Ticks.Any()) ArmTicks(timers, now);
        else timers.Cancel(TickDue);
    }

    public bool Wants(string eventName) => bus.Wants(eventName);

    public void Publish(ListenerEvent e)
    {
        foreach (var said in bus.Publish(e)) style.Say(new Log(LogLevel.Error, null, said));
    }

    /// <summary>A listener process started, with the write end of its stdin.</summary>
    public void Started(string service, int pid, int stdin)
    {
        if (bus.PoolOf(service) is not { } pool)
        {
            Descriptors.Close(stdin);
            return;
        }
        Forget(service);
        attached[service] = (pid, stdin);
        byPid[pid] = service;
        pool.Started(service);
    }

    public void OnOutput(ListenerOutput o)
    {
        if (!attached.TryGetValue(o.Service, out var a) || a.Pid != o.Pid || bus.PoolOf(o.Service) is not { } pool) return;
        foreach (var said in pool.OnOutput(o.Service, o.Data)) style.Say(new Log(LogLevel.Warning, o.Service, said));
    }

    /// <summary>A process exited: if it was a listener, the event it had goes back to its pool.</summary>
    public void OnExited(int pid)
    {
        if (byPid.TryGetValue(pid, out var service)) Forget(service);
    }

    void Forget(string service)
    {
        if (!attached.Remove(service, out var a)) return;
        byPid.Remove(a.Pid);
        Descriptors.Close(a.Stdin);
        if (bus.PoolOf(service)?.Ended(service) is { } said) style.Say(new Log(LogLevel.Error, null, said));
    }

    public void OnLogged(ProcessLogged l, ServiceSpec? spec)
    {
        if (spec is null || !bus.Wants(l.Stderr ? "PROCESS_LOG_STDERR" : "PROCESS_LOG_STDOUT")) return;
        Publish(EventPayloads.ProcessLog(l.Stderr, l.Service, GroupOf(spec), l.Pid, Encoding.UTF8.GetString(l.Data)));
    }

    static string GroupOf(ServiceSpec spec) => spec.MemberOf.IsDefaultOrEmpty ? spec.Name : spec.MemberOf[0];

    /// <summary>Sends what can go now: each waiting event to a READY listener that is RUNNING.</summary>
    public void Dispatch()
    {
        if (bus.IsEmpty) return;
        foreach (var (service, bytes) in bus.Dispatch(s => attached.ContainsKey(s) && running(s)))
        {
            var (written, errno) = Pipes.TryWrite(attached[service].Stdin, bytes);
            if (errno == 0) continue;
            // The pipe was empty (the listener had read its last event before saying READY): a
            // full pipe or a closed one means it is not reading; it gets no more until it restarts.
            var why = errno == Errno.EAGAIN ? $"its stdin is full after {written} of {bytes.Length} bytes" : Errno.Describe(errno);
            style.Say(new Log(LogLevel.Warning, service, $"cannot send an event to the listener ({why}); it gets no more events until it restarts"));
            bus.PoolOf(service)?.WriteFailed(service);
        }
    }

    /// <summary>The tick timer fired: the ticks due, and the timer armed for the next boundary.</summary>
    public void OnTick(TimerQueue<object> timers, TimeSpan now)
    {
        var periods = bus.Ticks.ToList();
        if (periods.Count == 0) return;
        var (due, _) = ticks.At(EpochNow(), periods);
        foreach (var e in due) Publish(e);
        ArmTicks(timers, now);
    }

    void ArmTicks(TimerQueue<object> timers, TimeSpan now)
    {
        var (due, next) = ticks.At(EpochNow(), bus.Ticks);
        foreach (var e in due) Publish(e);
        // A hair past the boundary, so the wall clock is in the new period when the timer fires.
        timers.Arm(TickDue, now + next + TimeSpan.FromMilliseconds(5));
    }

    static double EpochNow() => (Os.WallClock.Now - DateTime.UnixEpoch).TotalSeconds;
}
