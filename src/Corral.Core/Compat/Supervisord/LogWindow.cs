namespace Corral.Core.Compat.Supervisord;

/// <summary>
/// supervisord's readFile and tailFile (supervisor/options.py) over a log Corral keeps in memory:
/// <paramref name="data"/> is what is still held of a stream whose length so far is
/// <paramref name="end"/> bytes, so offsets mean what they mean in supervisord's log file, and
/// bytes before <c>end - data.Length</c> are gone (as if the file had been rotated).
/// </summary>
public static class LogWindow
{
    /// <summary>readProcessStdoutLog(name, offset, length): a negative offset reads that many bytes from the end (length must then be 0); length 0 reads to the end.</summary>
    public static byte[] Read(ReadOnlySpan<byte> data, long end, long offset, long length)
    {
        var first = end - data.Length;
        if (offset < 0)
        {
            if (length != 0) throw Faults.Of(Faults.BadArguments);
            var from = Math.Max(0, end + offset);
            return Slice(data, first, from, end);
        }
        if (length < 0) throw Faults.Of(Faults.BadArguments);
        var to = length == 0 ? end : Math.Min(end, offset + length);
        return Slice(data, first, offset, to);
    }

    /// <summary>tailProcessStdoutLog(name, offset, length): [bytes, new offset, overflow], as supervisorctl's tail -f used to poll it.</summary>
    public static (byte[] Data, long Offset, bool Overflow) Tail(ReadOnlySpan<byte> data, long end, long offset, long length)
    {
        var size = end;
        var overflow = false;
        if (size > offset + length)
        {
            overflow = true;
            offset = size - 1;
        }
        if (offset + length > size)
        {
            if (offset > size - 1) length = 0;
            offset = size - length;
        }
        if (offset < 0) offset = 0;
        if (length < 0) length = 0;
        var bytes = length == 0 ? [] : Slice(data, end - data.Length, offset, Math.Min(size, offset + length));
        return (bytes, size, overflow);
    }

    /// <summary>The bytes between two offsets of the whole stream, less what is no longer held.</summary>
    static byte[] Slice(ReadOnlySpan<byte> data, long first, long from, long to)
    {
        from = Math.Max(from, first);
        if (to <= from) return [];
        return data.Slice((int)(from - first), (int)(to - from)).ToArray();
    }
}
