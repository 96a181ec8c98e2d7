namespace Corral.Core.Supervision.Services;

/// <summary>
/// One decision in the making: the time it is taken at and the effects asked for so far. Every
/// part of the supervisor adds to the same one, in order, and none keeps it beyond the event.
/// </summary>
internal sealed class Decision(TimeSpan now)
{
    public TimeSpan Now { get; } = now;
    public List<SupervisorEffect> Effects { get; } = [];

    /// <summary>supervisord's PROCESS_STATE events, when some event listener wants them; null otherwise (no cost).</summary>
    public Corral.Core.Supervision.Events.ProcessStateEvents? Events { get; init; }

    /// <summary>
    /// Corral is shutting down: its final sweep ends whatever is left, so stopping a service need
    /// not look for its processes that left its group (a /proc walk per signal, per service).
    /// </summary>
    public bool ShuttingDown { get; set; }

    public void Add(SupervisorEffect effect) => Effects.Add(effect);

    public void Arm(TimerKind kind, string service, TimeSpan after) => Effects.Add(new ArmTimer(new TimerKey(kind, service), Now + after));

    public void Cancel(TimerKind kind, string service = "") => Effects.Add(new CancelTimer(new TimerKey(kind, service)));

    public void Info(string? service, string message) => Effects.Add(new Log(LogLevel.Info, service, message));
    public void Warn(string? service, string message) => Effects.Add(new Log(LogLevel.Warning, service, message));
    public void Error(string? service, string message) => Effects.Add(new Log(LogLevel.Error, service, message));
    public void Debug(string? service, string message) => Effects.Add(new Log(LogLevel.Debug, service, message));
}
