using Corral.Core.Model;

namespace Corral.Core.Tests.Model;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("HUP", 1)]
    [InlineData("INT", 2)]
    [InlineData("QUIT", 3)]
    [InlineData("KILL", 9)]
    [InlineData("USR1", 10)]
    [InlineData("USR2", 12)]
    [InlineData("TERM", 15)]
    [InlineData("STKFLT", 16)]
    [InlineData("CHLD", 17)]
    [InlineData("CONT", 18)]
    [InlineData("STOP", 19)]
    [InlineData("TSTP", 20)]
    [InlineData("WINCH", 28)]
    [InlineData("PWR", 30)]
    [InlineData("SYS", 31)]
    public void Parses_bare_signal_names(string name, int expected)
    {
        Assert.True(Signals.TryParse(name, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData("SigKill", 9)]
    [InlineData("term", 15)]
    [InlineData("  SIGHUP  ", 1)]
    public void Parses_names_with_or_without_the_SIG_prefix_in_any_case(string name, int expected)
    {
        Assert.True(Signals.TryParse(name, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("SIGPOLL", Signals.SIGIO)]
    [InlineData("POLL", Signals.SIGIO)]
    [InlineData("SIGIOT", Signals.SIGABRT)]
    [InlineData("SIGCLD", Signals.SIGCHLD)]
    public void Parses_the_historical_aliases(string name, int expected)
    {
        Assert.True(Signals.TryParse(name, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("9", 9)]
    [InlineData("15", 15)]
    [InlineData("34", 34)]
    [InlineData("64", 64)]
    [InlineData(" 15 ", 15)]
    public void Parses_numbers_from_1_to_64(string text, int expected)
    {
        Assert.True(Signals.TryParse(text, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("RTMIN", 34)]
    [InlineData("SIGRTMIN", 34)]
    [InlineData("RTMIN+0", 34)]
    [InlineData("RTMIN+1", 35)]
    [InlineData("sigrtmin+3", 37)]
    [InlineData("RTMIN+30", 64)]
    [InlineData("RTMAX", 64)]
    [InlineData("SIGRTMAX-1", 63)]
    [InlineData("RTMAX-30", 34)]
    public void Parses_real_time_signals_relative_to_RTMIN_and_RTMAX(string text, int expected)
    {
        Assert.True(Signals.TryParse(text, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("SIG")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-1")]
    [InlineData("+9")]
    [InlineData("99999999999")]
    [InlineData("SIGFOO")]
    [InlineData("KILLER")]
    [InlineData("SIGSIGTERM")]
    [InlineData("RTMIN+31")]
    [InlineData("RTMIN-1")]
    [InlineData("RTMIN+")]
    [InlineData("RTMIN+x")]
    [InlineData("RTMINx")]
    [InlineData("RTMAX-31")]
    [InlineData("RTMAX+1")]
    [InlineData("RTMAX-")]
    [InlineData("9x")]
    public void Refuses_unknown_names_and_out_of_range_numbers(string text)
    {
        Assert.False(Signals.TryParse(text, out _));
    }

    [Theory]
    [InlineData(1, "SIGHUP")]
    [InlineData(2, "SIGINT")]
    [InlineData(9, "SIGKILL")]
    [InlineData(15, "SIGTERM")]
    [InlineData(17, "SIGCHLD")]
    [InlineData(29, "SIGIO")]
    [InlineData(31, "SIGSYS")]
    [InlineData(34, "SIGRTMIN")]
    [InlineData(35, "SIGRTMIN+1")]
    [InlineData(36, "SIGRTMIN+2")]
    [InlineData(64, "SIGRTMIN+30")]
    public void Names_signals_the_way_the_kernel_headers_do(int signal, string expected)
    {
        Assert.Equal(expected, Signals.NameOf(signal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(65)]
    [InlineData(99)]
    public void Names_numbers_without_a_signal_as_plain_numbers(int signal)
    {
        Assert.Equal($"signal {signal}", Signals.NameOf(signal));
    }

    [Fact]
    public void Every_name_it_prints_parses_back_to_the_same_number()
    {
        var signals = Enumerable.Range(1, 31).Concat(Enumerable.Range(34, 31));
        foreach (var n in signals)
        {
            Assert.True(Signals.TryParse(Signals.NameOf(n), out var back), Signals.NameOf(n));
            Assert.Equal(n, back);
        }
    }

    [Theory]
    [InlineData(Signals.SIGFPE)]
    [InlineData(Signals.SIGILL)]
    [InlineData(Signals.SIGSEGV)]
    [InlineData(Signals.SIGBUS)]
    [InlineData(Signals.SIGABRT)]
    [InlineData(Signals.SIGTRAP)]
    [InlineData(Signals.SIGSYS)]
    public void Fault_signals_are_synchronous(int signal)
    {
        Assert.True(Signals.IsSynchronous(signal));
    }

    [Theory]
    [InlineData(Signals.SIGTERM)]
    [InlineData(Signals.SIGINT)]
    [InlineData(Signals.SIGHUP)]
    [InlineData(Signals.SIGCHLD)]
    [InlineData(Signals.SIGKILL)]
    [InlineData(40)]
    public void Signals_sent_from_outside_are_not_synchronous(int signal)
    {
        Assert.False(Signals.IsSynchronous(signal));
    }
}
