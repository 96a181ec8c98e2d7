using Corral.Core.Model;

namespace Corral.Core.Tests.Model;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("100ms", 100)]
    [InlineData("0ms", 0)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData(".5s", 500)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("1S", 1_000)]
    [InlineData("250MS", 250)]
    [InlineData(" 10s ", 10_000)]
    public void Reads_numbers_with_units(string text, double expectedMs)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5_000)]
    [InlineData("2.5", 2_500)]
    [InlineData("0.1", 100)]
    [InlineData(" 3 ", 3_000)]
    public void Reads_a_bare_number_as_seconds(string text, double expectedMs)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("-1s")]
    [InlineData("5x")]
    [InlineData("5 s")]
    [InlineData("5sec")]
    [InlineData("1m30")]
    [InlineData("1.2.3s")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("s5")]
    public void Refuses_garbage(string text)
    {
        Assert.False(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(0.5, "0.5ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(10_000, "10s")]
    [InlineData(119_000, "119s")]
    [InlineData(120_000, "2m")]
    [InlineData(150_000, "2.5m")]
    public void Formats_in_the_shortest_readable_unit(double ms, string expected)
    {
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(ms)));
    }

    [Theory]
    [InlineData("250ms")]
    [InlineData("1.5s")]
    [InlineData("2m")]
    public void Formatted_durations_read_back_to_the_same_value(string text)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.True(Durations.TryParse(Durations.Format(value), out var again));
        Assert.Equal(value, again);
    }
}
