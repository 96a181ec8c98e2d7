using System.Text;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Events;

namespace Corral.Core.Tests.Supervision.Events;

public class ListenerProtocolTests
{
    static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    static string S(byte[] b) => Encoding.UTF8.GetString(b);
    static readonly ListenerEvent Fatal = EventPayloads.ProcessState("FATAL", "web", "web", "BACKOFF", 0, 0, false);
    static readonly Func<string, bool> AllRunning = _ => true;

    static ListenerPool Pool(int bufferSize = 10) => new(new ListenerSpec("crashmail", ["EVENT"], bufferSize));

    [Fact]
    public void An_event_waits_for_READY_and_goes_out_with_supervisord_s_header()
    {
        var pool = Pool();
        pool.Started("crashmail");
        pool.Accept(7, Fatal);
        Assert.Empty(pool.Dispatch(AllRunning));
        Assert.Empty(pool.OnOutput("crashmail", B("READY\n")));
        var (process, bytes) = Assert.Single(pool.Dispatch(AllRunning));
        Assert.Equal("crashmail", process);
        Assert.Equal(
            "ver:3.0 server:supervisor serial:7 pool:crashmail poolserial:0 eventname:PROCESS_STATE_FATAL len:48\n" +
            "processname:web groupname:web from_state:BACKOFF", S(bytes));
        Assert.Equal(ListenerState.Busy, pool.StateOf("crashmail"));
    }

    [Fact]
    public void Only_a_running_listener_gets_events()
    {
        var pool = Pool();
        pool.Started("l");
        pool.Accept(0, Fatal);
        pool.OnOutput("l", B("READY\n"));
        Assert.Empty(pool.Dispatch(_ => false));
        Assert.Single(pool.Dispatch(AllRunning));
    }

    [Fact]
    public void RESULT_OK_acknowledges_and_the_next_event_waits_for_READY_again()
    {
        var pool = Pool();
        pool.Started("l");
        pool.Accept(1, EventPayloads.Tick(5, 1201063883));
        pool.Accept(2, EventPayloads.Tick(5, 1201063888));
        pool.OnOutput("l", B("READY\n"));
        Assert.Contains("when:1201063880", S(Assert.Single(pool.Dispatch(AllRunning)).Bytes));
        // The answer may come in pieces.
        pool.OnOutput("l", B("RESULT 2\nO"));
        Assert.Equal(ListenerState.Busy, pool.StateOf("l"));
        pool.OnOutput("l", B("K"));
        Assert.Equal(ListenerState.Acknowledged, pool.StateOf("l"));
        Assert.Empty(pool.Dispatch(AllRunning));
        pool.OnOutput("l", B("READY\n"));
        Assert.Contains("serial:2 pool:crashmail poolserial:1 eventname:TICK_5", S(Assert.Single(pool.Dispatch(AllRunning)).Bytes));
    }

    [Fact]
    public void A_FAIL_result_sends_the_same_event_again_first_with_its_serials()
    {
        var pool = Pool();
        pool.Started("l");
        pool.Accept(1, Fatal);
        pool.Accept(2, EventPayloads.Tick(60, 120));
        pool.OnOutput("l", B("READY\n"));
        pool.Dispatch(AllRunning);
        Assert.Equal(["l: event was rejected"], pool.OnOutput("l", B("RESULT 4\nFAILREADY\n")));
        Assert.Contains("serial:1 pool:crashmail poolserial:0 ", S(Assert.Single(pool.Dispatch(AllRunning)).Bytes));
    }

    [Fact]
    public void Anything_out_of_turn_makes_the_listener_unknown_until_it_starts_again()
    {
        var pool = Pool();
        pool.Started("l");
        var said = pool.OnOutput("l", B("hello\n"));
        Assert.Equal(ListenerState.Unknown, pool.StateOf("l"));
        Assert.Contains("has entered the UNKNOWN state", Assert.Single(said));
        pool.Ended("l");
        pool.Started("l");
        pool.OnOutput("l", B("READY\n"));
        Assert.Equal(ListenerState.Ready, pool.StateOf("l"));
        // Spurious data while READY is a violation too.
        pool.OnOutput("l", B("x"));
        Assert.Equal(ListenerState.Unknown, pool.StateOf("l"));
    }

    [Fact]
    public void A_bad_result_line_rejects_the_event_and_the_listener_is_unknown()
    {
        var pool = Pool();
        pool.Started("l");
        pool.Accept(3, Fatal);
        pool.OnOutput("l", B("READY\n"));
        pool.Dispatch(AllRunning);
        var said = pool.OnOutput("l", B("OK\n"));
        Assert.Equal("l: bad result line: 'OK'", said[0]);
        Assert.Equal(ListenerState.Unknown, pool.StateOf("l"));
        Assert.Equal(1, pool.Buffered);
    }

    [Fact]
    public void A_full_buffer_drops_the_oldest_event_and_says_so()
    {
        var pool = Pool(bufferSize: 2);
        Assert.Null(pool.Accept(1, EventPayloads.Tick(5, 5)));
        Assert.Null(pool.Accept(2, EventPayloads.Tick(5, 10)));
        Assert.Equal("pool crashmail event buffer overflowed, discarding event 1", pool.Accept(3, EventPayloads.Tick(5, 15)));
        Assert.Equal(1, pool.Dropped);
        pool.Started("l");
        pool.OnOutput("l", B("READY\n"));
        Assert.Contains("serial:2 ", S(Assert.Single(pool.Dispatch(AllRunning)).Bytes));
    }

    [Fact]
    public void A_listener_that_dies_with_an_event_has_it_sent_again_to_the_next_one()
    {
        var pool = Pool();
        pool.Started("l_0");
        pool.Started("l_1");
        pool.Accept(9, Fatal);
        pool.OnOutput("l_0", B("READY\n"));
        Assert.Equal("l_0", Assert.Single(pool.Dispatch(AllRunning)).Process);
        pool.Ended("l_0");
        pool.OnOutput("l_1", B("READY\n"));
        var (process, bytes) = Assert.Single(pool.Dispatch(AllRunning));
        Assert.Equal("l_1", process);
        Assert.Contains("serial:9 ", S(bytes));
    }

    [Fact]
    public void The_bus_numbers_only_events_some_pool_wants_and_gives_each_pool_its_own_serial()
    {
        var bus = new EventBus();
        bus.Configure([
            new ServiceSpec { Name = "a", Command = ["x"], Listener = new ListenerSpec("a", ["PROCESS_STATE"]) },
            new ServiceSpec { Name = "t", Command = ["x"], Listener = new ListenerSpec("t", ["TICK_5", "PROCESS_STATE_FATAL"]) },
        ]);
        Assert.False(bus.Wants("TICK_60"));
        Assert.Equal([5], bus.Ticks);
        bus.Publish(EventPayloads.Tick(60, 60));
        bus.Publish(EventPayloads.ProcessState("STARTING", "w", "w", "STOPPED", 0, 0, false));
        bus.Publish(Fatal);
        Assert.Equal(2, bus.PoolOf("a")!.Buffered);
        Assert.Equal(1, bus.PoolOf("t")!.Buffered);
        bus.PoolOf("t")!.Started("t");
        bus.PoolOf("t")!.OnOutput("t", B("READY\n"));
        var (_, bytes) = Assert.Single(bus.Dispatch(AllRunning));
        Assert.StartsWith("ver:3.0 server:supervisor serial:1 pool:t poolserial:0 eventname:PROCESS_STATE_FATAL", S(bytes));
    }

    [Fact]
    public void Ticks_come_when_the_wall_clock_crosses_a_multiple_of_their_period()
    {
        var clock = new TickClock();
        var (due, next) = clock.At(1201063883.5, [5, 60]);
        Assert.Empty(due);
        Assert.Equal(TimeSpan.FromSeconds(1.5), next);
        (due, _) = clock.At(1201063885.01, [5, 60]);
        Assert.Equal("TICK_5 when:1201063885", $"{Assert.Single(due).Name} {due[0].Payload}");
        (due, _) = clock.At(1201063920.2, [5, 60]);
        Assert.Equal(["TICK_5 when:1201063920", "TICK_60 when:1201063920"], due.Select(e => $"{e.Name} {e.Payload}"));
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
    public void Payloads_carry_the_fields_supervisord_gives_them()
    {
        Assert.Equal("processname:cat groupname:cat from_state:STOPPED tries:0", EventPayloads.ProcessState("STARTING", "cat", "cat", "STOPPED", 0, 0, false).Payload);
        Assert.Equal("processname:cat groupname:cat from_state:STARTING pid:2766", EventPayloads.ProcessState("RUNNING", "cat", "cat", "STARTING", 2766, 0, false).Payload);
        Assert.Equal("processname:cat groupname:cat from_state:RUNNING expected:0 pid:2766", EventPayloads.ProcessState("EXITED", "cat", "cat", "RUNNING", 2766, 0, false).Payload);
        Assert.Equal("processname:cat groupname:g pid:7 channel:stderr\noops\n", EventPayloads.ProcessLog(true, "cat", "g", 7, "oops\n").Payload);
        Assert.Equal("groupname:g\n", EventPayloads.GroupChange(true, "g").Payload);
    }
}
