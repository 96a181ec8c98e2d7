using System.Text;
using System.Threading.Channels;

namespace Corral.Control;

/// <summary>One line a service (or Corral itself, as "corral") wrote, numbered in arrival order.</summary>
public sealed record LogLine(long Sequence, DateTime Time, string Service, string Stream, string Text);

/// <summary>
/// The recent lines of every service, for <c>corral ctl logs</c>: a bounded buffer per service
/// (so a chatty service cannot push a quiet one's lines out), and live followers for
/// <c>logs -f</c>. Written by the log pump's thread for every line relayed, so adding a line
/// is a copy of its bytes into the service's current segment, nothing more: lines are turned
/// into text only when someone asks for them. It is log data, not supervisor state, so a lock
/// here is fine. A follower that does not keep up loses its oldest unsent lines; it never
/// blocks the pump.
/// </summary>
public sealed class LogRing(int linesPerService = LogRing.DefaultLinesPerService, int bytesPerService = LogRing.DefaultBytesPerService)
{
    public const int DefaultLinesPerService = 1000;
    public const int DefaultBytesPerService = 1024 * 1024;
    // At most this many unsent lines per follower (at most 16 KiB each): a stalled `logs -f`
    // holds at most 16 MB, and loses its oldest lines first.
    const int FollowerBacklog = 1000;
    const int SegmentBytes = 16 * 1024, SegmentLines = 128;

    readonly object gate = new();
    readonly Dictionary<string, Buffer> buffers = new(StringComparer.Ordinal);
    readonly List<Follower> followers = [];
    readonly DateTime wallBase = Os.WallClock.Now;
    // Lines are stamped with the one monotonic clock, as milliseconds since wallBase.
    readonly TimeSpan clockBase = Os.MonotonicClock.System.Now;
    long sequence;
    int followerCount;


    /// <summary>
    /// A writer for one service's stream, for the log pump: it takes a batch of lines, each
    /// ending in a newline, and the buffer is looked up once, not per line.
    /// </summary>
    public Action<ReadOnlySpan<byte>> Writer(string service, string stream)
    {
        Buffer buffer;
        lock (gate) buffer = BufferOf(service);
        var stderr = stream == "stderr";
        return batch => AddBatch(buffer, service, stderr, batch);
    }

    Buffer BufferOf(string service)
    {
        lock (gate)
        {
            if (!buffers.TryGetValue(service, out var buffer)) buffers[service] = buffer = new Buffer();
            return buffer;
        }
    }

    /// <summary>Lines ending in newlines: one sequence block, one clock reading and one lock for the batch.</summary>
    void AddBatch(Buffer buffer, string service, bool stderr, ReadOnlySpan<byte> batch)
    {
        var count = batch.Count((byte)'\n');
        if (count == 0) return;
        var first = Interlocked.Add(ref sequence, count) - count + 1;
        var ms = (long)(Os.MonotonicClock.System.Now - clockBase).TotalMilliseconds;
        lock (buffer)
        {
            var rest = batch;
            for (var seq = first; !rest.IsEmpty; seq++)
            {
                var nl = rest.IndexOf((byte)'\n');
                buffer.Add(seq, ms, stderr, rest[..nl], linesPerService, bytesPerService);
                rest = rest[(nl + 1)..];
            }
        }
        if (Volatile.Read(ref followerCount) == 0) return;
        var at = batch;
        for (var seq = first; !at.IsEmpty; seq++)
        {
            var nl = at.IndexOf((byte)'\n');
            Tell(seq, ms, service, stderr, at[..nl]);
            at = at[(nl + 1)..];
        }
    }

    void Tell(long seq, long ms, string service, bool stderr, ReadOnlySpan<byte> text)
    {
        lock (gate)
        {
            LogLine? line = null;
            foreach (var f in followers)
                if (f.Wants(service))
                    f.Channel.Writer.TryWrite(line ??= new LogLine(seq, wallBase.AddMilliseconds(ms), service, stderr ? "stderr" : "stdout", Encoding.UTF8.GetString(text)));
        }
    }

    void Add(Buffer buffer, string service, bool stderr, ReadOnlySpan<byte> text)
    {
        // Each buffer has its own lock (the pump is its only writer, so it is never contended);
        // the global lock is only taken when someone follows.
        var seq = Interlocked.Increment(ref sequence);
        var ms = (long)(Os.MonotonicClock.System.Now - clockBase).TotalMilliseconds;
        lock (buffer) buffer.Add(seq, ms, stderr, text, linesPerService, bytesPerService);
        if (Volatile.Read(ref followerCount) > 0) Tell(seq, ms, service, stderr, text);
    }

    /// <summary>One line (Corral's own messages); the pump's lines come through <see cref="Writer"/>.</summary>
    public void Add(string service, string stream, string text) =>
        Add(BufferOf(service), service, stream == "stderr", Encoding.UTF8.GetBytes(text));

    /// <summary>The last <paramref name="count"/> lines of the named services (all when empty), oldest first.</summary>
    public IReadOnlyList<LogLine> Recent(IReadOnlyCollection<string> services, int count)
    {
        lock (gate) return RecentLocked(services, count);
    }

    /// <summary>The last lines, then every new one as it comes, until the follower is disposed.</summary>
    public (IReadOnlyList<LogLine> Recent, Follower Live) Follow(IReadOnlyCollection<string> services, int count)
    {
        lock (gate)
        {
            var follower = new Follower(this, services);
            followers.Add(follower);
            followerCount = followers.Count;
            return (RecentLocked(services, count), follower);
        }
    }

    IReadOnlyList<LogLine> RecentLocked(IReadOnlyCollection<string> services, int count)
    {
        if (count <= 0) return [];
        var all = new List<LogLine>();
        foreach (var (name, buffer) in buffers)
            if (services.Count == 0 || services.Contains(name))
                lock (buffer) buffer.Last(name, count, wallBase, all);
        all.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return all.Count <= count ? all : all.GetRange(all.Count - count, count);
    }

    /// <summary>
    /// One stream of a service (both when <paramref name="stream"/> is null) as bytes, each line
    /// with its newline: what is still held, and the stream's length since the start or the last
    /// <see cref="Clear"/>, so supervisorctl's offsets (readProcessStdoutLog) keep their meaning.
    /// </summary>
    public (byte[] Data, long End) Bytes(string service, string? stream)
    {
        Buffer? buffer;
        lock (gate) buffers.TryGetValue(service, out buffer);
        if (buffer is null) return ([], 0);
        lock (buffer) return buffer.Bytes(stream is null ? null : stream == "stderr");
    }

    /// <summary>Forgets a service's lines (supervisorctl clear); offsets start again at 0.</summary>
    public void Clear(string service)
    {
        Buffer? buffer;
        lock (gate) buffers.TryGetValue(service, out buffer);
        if (buffer is null) return;
        lock (buffer) buffer.Clear();
    }

    void Remove(Follower f)
    {
        lock (gate)
        {
            followers.Remove(f);
            followerCount = followers.Count;
        }
        f.Channel.Writer.TryComplete();
    }

    public sealed class Follower(LogRing ring, IReadOnlyCollection<string> services) : IDisposable
    {
        public Channel<LogLine> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<LogLine>(
            new BoundedChannelOptions(FollowerBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal bool Wants(string service) => services.Count == 0 || services.Contains(service);

        public void Dispose() => ring.Remove(this);
    }

    /// <summary>One service's lines: segments of raw bytes with, per line, where it ends, when it came and from which stream.</summary>
    sealed class Buffer
    {
        readonly Queue<Segment> full = new();
        Segment current = new();
        Segment? spare;
        int lines, bytes;
        long stdoutEnd, stderrEnd;

        public void Clear()
        {
            while (full.Count > 0) spare = full.Dequeue();
            current.Clear();
            lines = bytes = 0;
            stdoutEnd = stderrEnd = 0;
        }

        public (byte[] Data, long End) Bytes(bool? stderr)
        {
            var end = stderr switch { true => stderrEnd, false => stdoutEnd, null => stdoutEnd + stderrEnd };
            var into = new System.IO.MemoryStream();
            foreach (var segment in full.Append(current)) segment.Write(stderr, into);
            return (into.ToArray(), end);
        }

        public void Add(long seq, long ms, bool stderr, ReadOnlySpan<byte> text, int maxLines, int maxBytes)
        {
            if (current.Count >= SegmentLines || current.Length + text.Length > SegmentBytes && current.Count > 0)
            {
                full.Enqueue(current);
                current = spare ?? new Segment();
                spare = null;
                current.Clear();
            }
            current.Add(seq, ms, stderr, text);
            if (stderr) stderrEnd += text.Length + 1;
            else stdoutEnd += text.Length + 1;
            lines++;
            bytes += text.Length;
            // Drop whole old segments while what stays still holds the limits' worth.
            while (full.Count > 0 && (lines - full.Peek().Count >= maxLines || bytes - full.Peek().Length >= maxBytes))
            {
                var old = full.Dequeue();
                lines -= old.Count;
                bytes -= old.Length;
                // Kept for the next segment: a steady stream of lines allocates nothing.
                spare = old;
            }
        }

        /// <summary>Appends (unordered) up to the last <paramref name="count"/> lines as text.</summary>
        public void Last(string service, int count, DateTime wallBase, List<LogLine> into)
        {
            var segments = full.Append(current).Reverse();
            var taken = 0;
            var picked = new List<LogLine>();
            foreach (var segment in segments)
            {
                for (var i = segment.Count - 1; i >= 0 && taken < count; i--, taken++)
                    picked.Add(segment.Line(i, service, wallBase));
                if (taken >= count) break;
            }
            into.AddRange(picked);
        }
    }

    sealed class Segment
    {
        // Small at first (a quiet service costs next to nothing), grown as lines come; a
        // recycled segment keeps its grown arrays.
        byte[] data = new byte[256];
        Meta[] meta = new Meta[8];

        public int Count { get; private set; }
        public int Length { get; private set; }

        readonly record struct Meta(int End, long Seq, long Ms, bool Stderr);

        public void Clear() => Count = Length = 0;

        public void Add(long seq, long ms, bool stderr, ReadOnlySpan<byte> text)
        {
            if (Length + text.Length > data.Length) Array.Resize(ref data, Math.Max(data.Length * 2, Length + text.Length));
            text.CopyTo(data.AsSpan(Length));
            Length += text.Length;
            if (Count == meta.Length) Array.Resize(ref meta, meta.Length * 2);
            meta[Count++] = new Meta(Length, seq, ms, stderr);
        }

        /// <summary>Appends the lines of one stream (both: null), each with its newline.</summary>
        public void Write(bool? stderr, System.IO.Stream into)
        {
            for (var i = 0; i < Count; i++)
            {
                if (stderr is { } wanted && meta[i].Stderr != wanted) continue;
                var start = i == 0 ? 0 : meta[i - 1].End;
                into.Write(data, start, meta[i].End - start);
                into.WriteByte((byte)'\n');
            }
        }

        public LogLine Line(int i, string service, DateTime wallBase)
        {
            var start = i == 0 ? 0 : meta[i - 1].End;
            var m = meta[i];
            return new LogLine(m.Seq, wallBase.AddMilliseconds(m.Ms), service, m.Stderr ? "stderr" : "stdout",
                Encoding.UTF8.GetString(data, start, m.End - start));
        }
    }
}
