namespace Corral.Os;

/// <summary>
/// Time since Corral started, from the monotonic clock: every duration, timeout and deadline
/// of the product is measured on it. (Wall time, for display only, is <see cref="WallClock"/>.)
/// </summary>
public sealed class MonotonicClock(TimeProvider provider)
{
    readonly long origin = provider.GetTimestamp();

    public static MonotonicClock System { get; } = new(TimeProvider.System);

    public TimeSpan Now => provider.GetElapsedTime(origin);
}
