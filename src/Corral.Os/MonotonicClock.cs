namespace Corral.Os;

/// <summary>Time since Corral started, from the monotonic clock. The only clock the product reads.</summary>
public sealed class MonotonicClock(TimeProvider provider)
{
    readonly long origin = provider.GetTimestamp();

    public static MonotonicClock System { get; } = new(TimeProvider.System);

    public TimeSpan Now => provider.GetElapsedTime(origin);
}
