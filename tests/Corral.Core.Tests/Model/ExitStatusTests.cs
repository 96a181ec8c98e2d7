using Corral.Core.Model;

namespace Corral.Core.Tests.Model;

public sealed class ExitStatusTests
{
    public static TheoryData<int> AllExitCodes() => [.. Enumerable.Range(0, 256)];

    public static TheoryData<int> AllSignals() => [.. Enumerable.Range(1, Signals.Max)];

    [Theory]
    [MemberData(nameof(AllExitCodes))]
    public void An_exit_code_is_its_own_shell_code(int code)
    {
        var status = ExitStatus.Exited(code);
        Assert.False(status.WasSignaled);
        Assert.Equal(code, status.ShellCode);
        Assert.Equal($"exited with code {code}", status.ToString());
    }

    [Theory]
    [MemberData(nameof(AllSignals))]
    public void Death_by_signal_N_has_shell_code_128_plus_N(int signal)
    {
        var status = ExitStatus.Signaled(signal);
        Assert.True(status.WasSignaled);
        Assert.Equal(128 + signal, status.ShellCode);
        Assert.Equal($"killed by {Signals.NameOf(signal)}", status.ToString());
    }

    [Theory]
    [InlineData(256, 0)]
    [InlineData(257, 1)]
    [InlineData(-1, 255)]
    public void Exit_codes_keep_only_their_low_byte_like_wait_status(int code, int expected)
    {
        Assert.Equal(expected, ExitStatus.Exited(code).ShellCode);
    }

    [Fact]
    public void Exited_and_signaled_statuses_are_distinct_values()
    {
        Assert.NotEqual(ExitStatus.Exited(0), ExitStatus.Signaled(Signals.SIGTERM));
        Assert.Equal(ExitStatus.Signaled(Signals.SIGKILL), ExitStatus.Signaled(9));
        Assert.Equal("killed by SIGKILL", ExitStatus.Signaled(9).ToString());
    }
}
