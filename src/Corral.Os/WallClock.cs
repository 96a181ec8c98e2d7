namespace Corral.Os;

/// <summary>
/// The calendar time (UTC), for display only: log timestamps, started_at in the status. It
/// jumps when the system clock is set, so it never measures a duration or a timeout; those
/// use <see cref="MonotonicClock"/>. The only place the product reads wall time.
/// </summary>
public static class WallClock
{
    public static DateTime Now => DateTime.UtcNow;
}
