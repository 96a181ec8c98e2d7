using Corral.Core.Model.Services;
using Corral.Os.Files;
using Corral.Os.Native;

namespace Corral.Os.Logging;

/// <summary>A file a stream's lines are appended to, rotated at MaxBytes (0: never) keeping Backups old files.</summary>
public sealed record LogFile(string Path, long MaxBytes, int Backups);

/// <summary>One stream's way into a log file: what the pump hands its lines to.</summary>
public sealed class LogFileWriter
{
    internal LogFileWriter(string service, LogFile file) => (Service, File) = (service, file);

    public string Service { get; }
    public LogFile File { get; }

    /// <summary>The open file, on the writer's thread only (shared by every stream writing to the same path).</summary>
    internal object? Sink { get; set; }

    long queued;

    /// <summary>
    /// More than <see cref="LogFiles.MaxBacklog"/> bytes wait to be written: the pump stops
    /// reading this stream until the writer catches up, so a slow disk slows only the service
    /// that writes to it (its pipe fills and its writes wait, as they would on the file itself).
    /// </summary>
    public bool Backlogged => Volatile.Read(ref queued) > LogFiles.MaxBacklog;

    /// <summary>Adds n (negative: written) to the bytes waiting; whether that crossed the backlog limit downwards.</summary>
    internal bool Queue(long n)
    {
        var now = Interlocked.Add(ref queued, n);
        return n < 0 && now <= LogFiles.MaxBacklog && now - n > LogFiles.MaxBacklog;
    }
}

/// <summary>
/// Overview: the log files, written by one thread of their own, so that a slow or full disk
/// never holds up the log pump (and with it every other service's output). The pump hands over
/// batches of whole lines; the writer appends them with one write per batch, rotating by size
/// (<see cref="LogRotation"/>). Nothing here blocks its callers. A stream whose lines wait to
/// be written beyond <see cref="MaxBacklog"/> is not read by the pump until they are
/// (<see cref="LogFileWriter.Backlogged"/>): a slow disk slows only that service, and nothing is
/// lost. A write that fails (ENOSPC, EIO) drops that batch, cutting off any part of it that
/// reached the file, so a file holds only whole lines. Every drop is counted per service and
/// said once per episode: when it starts, and with the count when lines get through again.
/// The thread starts with the first file and sleeps on a monitor while there is nothing to
/// write (no polling).
/// </summary>
public sealed class LogFiles(Action<string?, string> warn)
{
    public const long MaxBacklog = 1 << 20;

    /// <summary>Called (on the writer's thread) when a backlogged stream may be read again: the pump's wake-up.</summary>
    public Action? CaughtUp { get; set; }

    /// <summary>
    /// A file's trouble, kept by path for as long as it lasts, so that a service that restarts
    /// (closing and opening its file again) does not say it again each time.
    /// </summary>
    sealed class Episode
    {
        /// <summary>The errno that started it (0: writes go through).</summary>
        public int Failure { get; set; }
        public long Dropped { get; set; }
    }

    sealed class Sink(LogFile file, string owner, Episode episode)
    {
        public LogFile File { get; } = file;
        /// <summary>The service that opened it, for messages that are about no one write.</summary>
        public string Owner { get; } = owner;
        public int Fd { get; set; } = -1;
        public long Size { get; set; }
        public int Users { get; set; }
        public Episode Trouble { get; } = episode;
        public bool RotationFailed { get; set; }
    }

    abstract record Op;
    sealed record Open(LogFileWriter Writer) : Op;
    sealed record Append(LogFileWriter Writer, byte[] Data) : Op;
    sealed record Close(LogFileWriter Writer) : Op;
    sealed record Reopen : Op;

    readonly object gate = new();
    readonly Queue<Op> queue = new();
    readonly Dictionary<string, long> dropped = new(StringComparer.Ordinal);
    bool busy;
    Thread? thread;

    // The writer's thread only.
    readonly Dictionary<string, Sink> sinks = new(StringComparer.Ordinal);
    readonly Dictionary<string, Episode> episodes = new(StringComparer.Ordinal);

    /// <summary>Starts writing a stream to file; the file is opened (or shared) on the writer's thread.</summary>
    public LogFileWriter Start(string service, LogFile file)
    {
        var writer = new LogFileWriter(service, file);
        Enqueue(new Open(writer));
        return writer;
    }

    /// <summary>Hands over whole lines (each ending in '\n').</summary>
    public void Write(LogFileWriter writer, ReadOnlySpan<byte> lines)
    {
        writer.Queue(lines.Length);
        Enqueue(new Append(writer, lines.ToArray()));
    }

    /// <summary>The stream ended: the file is closed once no stream writes to it.</summary>
    public void Stop(LogFileWriter writer) => Enqueue(new Close(writer));

    /// <summary>Closes and reopens every file by its path (logrotate moved them).</summary>
    public void ReopenAll() => Enqueue(new Reopen());

    /// <summary>Lines of this service dropped so far (a full disk, an I/O error, a file that cannot be opened).</summary>
    public long Dropped(string service)
    {
        lock (gate) return dropped.GetValueOrDefault(service);
    }

    /// <summary>Waits until everything handed over is written, at most <paramref name="timeout"/>.</summary>
    public bool Drain(TimeSpan timeout)
    {
        var deadline = MonotonicClock.System.Now + timeout;
        lock (gate)
        {
            while (queue.Count > 0 || busy)
            {
                var left = deadline - MonotonicClock.System.Now;
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(gate, left);
            }
        }
        return true;
    }

    void Enqueue(Op op)
    {
        lock (gate)
        {
            queue.Enqueue(op);
            if (thread is null)
            {
                thread = new Thread(Run, 256 * 1024) { IsBackground = true, Name = "log-files" };
                thread.Start();
            }
            // All: Drain may be waiting on the same monitor, and must not take the writer's wake-up.
            Monitor.PulseAll(gate);
        }
    }

    void Run()
    {
        while (true)
        {
            Op op;
            lock (gate)
            {
                busy = false;
                while (queue.Count == 0)
                {
                    Monitor.PulseAll(gate); // Drain waits for this
                    Monitor.Wait(gate);
                }
                op = queue.Dequeue();
                busy = true;
            }
            try
            {
                switch (op)
                {
                    case Open o: Acquire(o.Writer); break;
                    case Append a:
                        try { Write((Sink)a.Writer.Sink!, a.Writer.Service, a.Data); }
                        finally
                        {
                            if (a.Writer.Queue(-a.Data.Length)) CaughtUp?.Invoke();
                        }
                        break;
                    case Close c: Release(c.Writer); break;
                    case Reopen: foreach (var s in sinks.Values) OpenFile(s, s.Owner, reopen: true); break;
                }
            }
            catch (Exception e)
            {
                // A log file must never stop the others (DESIGN.md, rule 7).
                warn(null, $"error in the log file writer: {Problems.Internal(e)}");
            }
        }
    }

    void Acquire(LogFileWriter writer)
    {
        if (!sinks.TryGetValue(writer.File.Path, out var sink))
        {
            if (!episodes.TryGetValue(writer.File.Path, out var episode)) episodes[writer.File.Path] = episode = new Episode();
            sink = new Sink(writer.File, writer.Service, episode);
            sinks[writer.File.Path] = sink;
            OpenFile(sink, writer.Service, reopen: false);
        }
        sink.Users++;
        writer.Sink = sink;
    }

    void Release(LogFileWriter writer)
    {
        if (writer.Sink is not Sink sink || --sink.Users > 0) return;
        Descriptors.Close(sink.Fd);
        sinks.Remove(sink.File.Path);
    }

    /// <summary>Opens (or reopens) the file; a file that cannot be opened drops its lines, said once until it opens.</summary>
    void OpenFile(Sink sink, string who, bool reopen)
    {
        if (reopen) Descriptors.Close(sink.Fd);
        var path = sink.File.Path;
        var fd = Descriptors.OpenForAppend(path);
        if (fd < 0)
        {
            sink.Fd = -1;
            if (sink.Trouble.Failure == 0)
            {
                var directory = Path.GetDirectoryName(path);
                var why = -fd == Errno.ENOENT && directory is not null && !Directory.Exists(directory)
                    ? $"its directory {directory} does not exist"
                    : Errno.Describe(-fd);
                warn(who, $"cannot open log file {path}: {why}: its lines are dropped (counted) until it can be opened (corral ctl logs --reopen, or a restart)");
                sink.Trouble.Failure = -fd;
            }
            return;
        }
        sink.Fd = fd;
        sink.Size = Math.Max(0, Descriptors.Length(fd));
    }

    void Write(Sink sink, string service, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && sink.Fd >= 0)
        {
            var n = LogRotation.Fitting(data, sink.Size, sink.File.MaxBytes);
            if (n == 0 && !Rotate(sink, service)) n = LogRotation.Fitting(data, 0, sink.File.MaxBytes);
            if (n == 0) continue;
            var errno = Descriptors.WriteAll(sink.Fd, data[..n], out var written);
            if (errno != 0)
            {
                // Part of a line in the file would run into the next one: cut it off again.
                if (written > 0) Descriptors.Truncate(sink.Fd, sink.Size);
                Drop(sink, service, errno, Count(data));
                return;
            }
            sink.Size += n;
            data = data[n..];
        }
        if (sink.Fd < 0)
        {
            Drop(sink, service, sink.Trouble.Failure == 0 ? Errno.EBADF : sink.Trouble.Failure, Count(data));
            return;
        }
        EndEpisode(sink, service);
    }

    static int Count(ReadOnlySpan<byte> data) => data.Count((byte)'\n');

    void Drop(Sink sink, string service, int errno, int lines)
    {
        lock (gate) dropped[service] = dropped.GetValueOrDefault(service) + lines;
        if (sink.Trouble.Failure == 0 && sink.Fd >= 0)
            warn(service, $"log file {sink.File.Path}: {Errno.Describe(errno)}: dropping its lines until it can be written again");
        if (sink.Trouble.Failure == 0) sink.Trouble.Failure = errno;
        sink.Trouble.Dropped += lines;
    }

    /// <summary>Lines get through again: say how many were lost.</summary>
    void EndEpisode(Sink sink, string service)
    {
        if (sink.Trouble.Failure == 0) return;
        if (sink.Trouble.Dropped > 0)
            warn(service, $"log file {sink.File.Path}: {Errno.Describe(sink.Trouble.Failure)}: dropped {sink.Trouble.Dropped} line{(sink.Trouble.Dropped == 1 ? "" : "s")}");
        sink.Trouble.Failure = 0;
        sink.Trouble.Dropped = 0;
    }

    /// <summary>Makes room: truncates (no backups) or renames the old files and opens a new one; false when that failed.</summary>
    bool Rotate(Sink sink, string service)
    {
        if (sink.File.Backups == 0)
        {
            if (Descriptors.Truncate(sink.Fd, 0) is var e and not 0) return RotationFailed(sink, service, e);
            sink.Size = 0;
            return true;
        }
        foreach (var (from, to) in LogRotation.Renames(sink.File.Path, sink.File.Backups))
        {
            var errno = Descriptors.Rename(from, to);
            // Older files that do not exist yet are fine; the current one must move.
            if (errno != 0 && (errno != Errno.ENOENT || from == sink.File.Path)) return RotationFailed(sink, service, errno);
        }
        sink.RotationFailed = false;
        OpenFile(sink, service, reopen: true);
        return true;
    }

    /// <summary>Said once until a rotation works; the lines go on into the current file.</summary>
    bool RotationFailed(Sink sink, string service, int errno)
    {
        if (!sink.RotationFailed) warn(service, $"log file {sink.File.Path}: cannot rotate it: {Errno.Describe(errno)}; it grows past its max_bytes");
        sink.RotationFailed = true;
        return false;
    }
}
