using System.Text;
using Corral.Core.Supervision.Events;

namespace Corral.Core.Tests.Supervision.Events;

public class ListenerChannelTests
{
    static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    static string S(byte[]? b) => b is null ? "" : Encoding.UTF8.GetString(b);
    static readonly ListenerEvent Fatal = EventPayloads.ProcessState("FATAL", "web", "web", "BACKOFF", 0, 0, false);

    [Fact]
    public void An_event_waits_for_READY_and_goes_out_with_supervisord_s_header()
    {
        var channel = new ListenerChannel("crashmail", bufferSize: 10);
        channel.Offer(7, Fatal);
        Assert.Null(channel.Next());
        Assert.Empty(channel.OnOutput(B("READY\n")));
        Assert.Equal(
            "ver:3.0 server:supervisor serial:7 pool:crashmail poolserial:0 eventname:PROCESS_STATE_FATAL len:48\n" +
            "processname:web groupname:web from_state:BACKOFF", S(channel.Next()));
        Assert.Equal(ListenerState.Busy, channel.State);
    }

    [Fact]
    public void RESULT_OK_acknowledges_and_the_next_event_waits_for_READY_again()
    {
        var channel = new ListenerChannel("l", 10);
        channel.Offer(1, EventPayloads.Tick(5, 1201063883));
        channel.Offer(2, EventPayloads.Tick(5, 1201063888));
        channel.OnOutput(B("READY\n"));
        Assert.Contains("when:1201063880", S(channel.Next()));
        // The answer may come in pieces.
        channel.OnOutput(B("RESULT 2\nO"));
        Assert.Equal(ListenerState.Busy, channel.State);
        channel.OnOutput(B("KREADY\n"));
        var second = S(channel.Next());
        Assert.Contains("serial:2 pool:l poolserial:1 eventname:TICK_5", second);
    }

    [Fact]
    public void A_FAIL_result_sends_the_same_event_again_first()
    {
        var channel = new ListenerChannel("l", 10);
        channel.Offer(1, Fatal);
        channel.Offer(2, EventPayloads.Tick(60, 120));
        channel.OnOutput(B("READY\n"));
        channel.Next();
        Assert.Single(channel.OnOutput(B("RESULT 4\nFAILREADY\n")));
        Assert.Contains("serial:1 ", S(channel.Next()));
    }

    [Fact]
    public void Anything_but_the_protocol_makes_the_listener_unknown_and_it_is_said()
    {
        var channel = new ListenerChannel("l", 10);
        var said = channel.OnOutput(B("hello\n"));
        Assert.Equal(ListenerState.Unknown, channel.State);
        Assert.Contains("expected READY, got 'hello'", Assert.Single(said));
        channel.Restarted();
        channel.OnOutput(B("READY\n"));
        Assert.Equal(ListenerState.Ready, channel.State);
    }

    [Fact]
    public void A_full_buffer_drops_the_oldest_event_and_counts_it()
    {
        var channel = new ListenerChannel("l", bufferSize: 2);
        Assert.Null(channel.Offer(1, EventPayloads.Tick(5, 5)));
        Assert.Null(channel.Offer(2, EventPayloads.Tick(5, 10)));
        Assert.Contains("dropped TICK_5 serial 1", channel.Offer(3, EventPayloads.Tick(5, 15)));
        Assert.Equal(1, channel.Dropped);
        channel.OnOutput(B("READY\n"));
        Assert.Contains("serial:2 ", S(channel.Next()));
    }

    [Fact]
    public void A_listener_that_dies_with_an_event_gets_it_again_when_it_is_back()
    {
        var channel = new ListenerChannel("l", 10);
        channel.Offer(9, Fatal);
        channel.OnOutput(B("READY\n"));
        channel.Next();
        channel.Restarted();
        channel.OnOutput(B("READY\n"));
        Assert.Contains("serial:9 ", S(channel.Next()));
    }

    [Theory]
    [InlineData("EVENT", "PROCESS_STATE_FATAL", true)]
    [InlineData("PROCESS_STATE", "PROCESS_STATE_EXITED", true)]
    [InlineData("PROCESS_STATE_EXITED", "PROCESS_STATE_EXITED", true)]
    [InlineData("PROCESS_STATE_FATAL", "PROCESS_STATE_EXITED", false)]
    [InlineData("TICK", "TICK_60", true)]
    [InlineData("TICK_5", "TICK_60", false)]
    [InlineData("PROCESS_LOG", "PROCESS_LOG_STDERR", true)]
    public void Event_types_match_themselves_and_what_is_under_them(string subscribed, string name, bool matches) =>
        Assert.Equal(matches, EventTypes.Matches(subscribed, name));

    [Fact]
    public void Process_state_payloads_carry_the_fields_supervisord_gives_each_state()
    {
        Assert.Equal("processname:cat groupname:cat from_state:STOPPED tries:0", EventPayloads.ProcessState("STARTING", "cat", "cat", "STOPPED", 0, 0, false).Payload);
        Assert.Equal("processname:cat groupname:cat from_state:STARTING pid:2766", EventPayloads.ProcessState("RUNNING", "cat", "cat", "STARTING", 2766, 0, false).Payload);
        Assert.Equal("processname:cat groupname:cat from_state:RUNNING expected:0 pid:2766", EventPayloads.ProcessState("EXITED", "cat", "cat", "RUNNING", 2766, 0, false).Payload);
        Assert.Equal([5, 60], EventTypes.TickPeriods(["TICK_5", "TICK_60"]));
        Assert.Equal([5, 60, 3600], EventTypes.TickPeriods(["EVENT"]));
    }
}
