using System.Text;
using System.Threading.Channels;

namespace Corral.Control;

/// <summary>One line a service (or Corral itself, as "corral") wrote, numbered in arrival order.</summary>
public sealed record LogLine(long Sequence, DateTime Time, string Service, string Stream, string Text);

/// <summary>
/// The recent lines of every service, for <c>corral ctl logs</c>: a bounded buffer per service
/// (so a chatty service cannot push a quiet one's lines out), and live followers for
/// <c>logs -f</c>. Written by the log pump's thread, read by the control server's: it is log
/// data, not supervisor state, so a lock here is fine. A follower that does not keep up loses
/// its oldest unsent lines, never blocks the pump.
/// </summary>
public sealed class LogRing(int linesPerService = LogRing.DefaultLinesPerService)
{
    public const int DefaultLinesPerService = 1000;
    const int FollowerBacklog = 10_000;

    readonly object gate = new();
    readonly Dictionary<string, Queue<LogLine>> lines = new(StringComparer.Ordinal);
    readonly List<Follower> followers = [];
    long sequence;

    public void Add(string service, string stream, ReadOnlySpan<byte> text) => Add(service, stream, Encoding.UTF8.GetString(text));

    public void Add(string service, string stream, string text)
    {
        lock (gate)
        {
            var line = new LogLine(++sequence, DateTime.UtcNow, service, stream, text);
            if (!lines.TryGetValue(service, out var queue)) lines[service] = queue = new Queue<LogLine>();
            queue.Enqueue(line);
            if (queue.Count > linesPerService) queue.Dequeue();
            foreach (var f in followers)
                if (f.Wants(service)) f.Channel.Writer.TryWrite(line);
        }
    }

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
            return (RecentLocked(services, count), follower);
        }
    }

    IReadOnlyList<LogLine> RecentLocked(IReadOnlyCollection<string> services, int count)
    {
        if (count <= 0) return [];
        var picked = lines.Where(kv => services.Count == 0 || services.Contains(kv.Key)).SelectMany(kv => kv.Value);
        var all = picked.OrderBy(l => l.Sequence).ToList();
        return all.Count <= count ? all : all.GetRange(all.Count - count, count);
    }

    void Remove(Follower f)
    {
        lock (gate) followers.Remove(f);
        f.Channel.Writer.TryComplete();
    }

    public sealed class Follower(LogRing ring, IReadOnlyCollection<string> services) : IDisposable
    {
        public Channel<LogLine> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<LogLine>(
            new BoundedChannelOptions(FollowerBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal bool Wants(string service) => services.Count == 0 || services.Contains(service);

        public void Dispose() => ring.Remove(this);
    }
}
