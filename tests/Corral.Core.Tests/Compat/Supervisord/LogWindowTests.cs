using System.Text;
using Corral.Core.Compat.Supervisord;

namespace Corral.Core.Tests.Compat.Supervisord;

public class LogWindowTests
{
    static readonly byte[] Log = Encoding.ASCII.GetBytes("tick 1\ntick 2\ntick 3\n");

    static string Read(long offset, long length, byte[]? data = null, long? end = null) =>
        Encoding.ASCII.GetString(LogWindow.Read(data ?? Log, end ?? Log.Length, offset, length));

    [Fact]
    public void Reads_like_supervisords_readFile()
    {
        Assert.Equal("tick 3\n", Read(-7, 0));
        Assert.Equal(Encoding.ASCII.GetString(Log), Read(-1600, 0));
        Assert.Equal("tick 1\nti", Read(0, 9));
        Assert.Equal("tick 2\ntick 3\n", Read(7, 0));
        Assert.Equal("", Read(100, 0));
    }

    [Fact]
    public void A_negative_offset_with_a_length_or_a_negative_length_is_BAD_ARGUMENTS()
    {
        Assert.Equal(Faults.BadArguments, Assert.Throws<XmlRpcFault>(() => Read(-10, 5)).Code);
        Assert.Equal(Faults.BadArguments, Assert.Throws<XmlRpcFault>(() => Read(0, -5)).Code);
    }

    [Fact]
    public void Offsets_count_from_the_streams_start_even_after_old_lines_are_dropped()
    {
        // 100 bytes were written; the last 7 are still held.
        var held = Encoding.ASCII.GetBytes("tick 9\n");
        Assert.Equal("tick 9\n", Read(93, 0, held, 100));
        Assert.Equal("ck 9\n", Read(95, 0, held, 100));
        Assert.Equal("tick 9\n", Read(0, 0, held, 100));
        Assert.Equal("", Read(0, 10, held, 100));
        Assert.Equal("tick 9\n", Read(-50, 0, held, 100));
    }

    [Fact]
    public void Tails_like_supervisords_tailFile()
    {
        // rpc_logs.txt: tailProcessStdoutLog(name, 0, 50) on a 945-byte log → [last 50, 945, True].
        var big = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 200).Select(i => $"{i % 10}")).PadRight(945, 'x'));
        var (data, offset, overflow) = LogWindow.Tail(big, big.Length, 0, 50);
        Assert.Equal(big[^50..], data);
        Assert.Equal(945, offset);
        Assert.True(overflow);
        // tailProcessStderrLog(name, 1000000, 50) on 360 bytes → ['', 360, False].
        var (none, end, over) = LogWindow.Tail(big[..360], 360, 1000000, 50);
        Assert.Empty(none);
        Assert.Equal(360, end);
        Assert.False(over);
        // Within the file, length bytes from the offset.
        var (next, _, _) = LogWindow.Tail(Log, Log.Length, 14, 7);
        Assert.Equal("tick 3\n", Encoding.ASCII.GetString(next));
    }
}
