using System.Buffers;
using System.Text;
using System.Text.Json;
using Corral.Os.Files;
using Corral.Os.Native;

namespace Corral.Os.Logging;

/// <summary>Where one stream of one service goes, and how its lines look.</summary>
/// <param name="Prefix">Text put before every line (name, padding, colour), already encoded.</param>
public sealed record LogSource(string Service, string Stream, int TargetFd, bool Json, byte[] Prefix)
{
    /// <summary>Called (on the pump's thread) with each line until it returns true once: a readiness log line.</summary>
    public Func<string, bool>? Watch { get; init; }

    /// <summary>
    /// Called (on the pump's thread) with each batch of lines as the service wrote them, every
    /// line ending in a newline, once per read rather than once per line: the recent-lines buffer.
    /// </summary>
    public Action<ReadOnlySpan<byte>>? Tap { get; init; }

    /// <summary>A file the lines are appended to as the service wrote them (no prefix), by <see cref="LogFiles"/>.</summary>
    public LogFile? File { get; init; }

    /// <summary>Whether the lines also go to <see cref="TargetFd"/> (always without a file; with one, also_stdout/also_stderr).</summary>
    public bool Relayed { get; init; } = true;
}

/// <summary>
/// Overview: one thread relays every service's stdout and stderr to Corral's outputs. It
/// blocks in poll(2) on all pipes (no timer, no polling), cuts what it reads into lines, and
/// writes each batch of whole lines with one write, so lines are never mangled or interleaved.
/// A line longer than <see cref="MaxLine"/> is passed on in pieces. A partial last line is
/// flushed when the pipe closes, so nothing is lost when a service exits. The event loop never
/// waits for it: a slow reader of Corral's stdout slows only this thread. Lines bound for a
/// log file are handed to <see cref="LogFiles"/> (its own thread), never written here: a slow
/// or full disk must not hold up the relay of every other service.
/// </summary>
public sealed unsafe class LogPump
{
    public const int MaxLine = 16 * 1024;
    const int ReadSize = 64 * 1024;

    sealed class Stream(int fd, LogSource? source, Action<ReadOnlySpan<byte>>? raw = null, bool datagrams = false)
    {
        /// <summary>Where the lines go in <see cref="Source"/>'s file, once the pump relays the stream.</summary>
        public LogFileWriter? File { get; set; }
        /// <summary>A datagram socket: an empty read is an empty message, not the end; the socket's owner closes it.</summary>
        public bool Datagrams { get; } = datagrams;
        public int Fd { get; } = fd;
        public LogSource? Source { get; } = source;
        /// <summary>Not a log: every read goes to this callback (notification fds, sd_notify sockets).</summary>
        public Action<ReadOnlySpan<byte>>? Raw { get; } = raw;
        public byte[] Carry { get; set; } = [];
        public Func<string, bool>? Watch { get; set; } = source?.Watch;
        /// <summary>Raw watches stay for good; they do not hold Drain back.</summary>
        public bool Counted => Raw is null;
    }

    const int MaxQueuedMessages = 10_000;

    readonly object gate = new();
    readonly List<Stream> pending = [];
    readonly Queue<(int Fd, byte[] Data)> messages = new();
    int droppedMessages;
    readonly List<Stream> streams = [];
    readonly ManualResetEventSlim idle = new(true);
    readonly int wakeRead, wakeWrite;
    readonly ArrayBufferWriter<byte> tapped = new(ReadSize + 4096);
    readonly ArrayBufferWriter<byte> filed = new(ReadSize + 4096);
    readonly LogFiles? files;
    int open;

    /// <param name="files">Writes the streams that go to a file (null: none do, as for notification pipes).</param>
    public LogPump(LogFiles? files = null)
    {
        this.files = files;
        var (r, w, errno) = Pipes.Create();
        if (errno != 0) throw new IOException($"cannot create the log pump's pipe: {Errno.Describe(errno)}");
        (wakeRead, wakeWrite) = (r, w);
        // A stream held back while its file's writer caught up may be read again.
        if (files is not null) files.CaughtUp = () => Pipes.Poke(wakeWrite);
        new Thread(Run, 256 * 1024) { IsBackground = true, Name = "log-pump" }.Start();
    }

    /// <summary>Relays fd (a pipe's read end, now owned by the pump) until it closes.</summary>
    public void Add(int fd, LogSource source) => Enlist(new Stream(fd, source));

    /// <summary>
    /// Watches a descriptor that is not a log (a notification pipe, a datagram socket): every
    /// read goes to onData on the pump's thread. The pump owns fd and closes it at end of file.
    /// </summary>
    public void Watch(int fd, Action<ReadOnlySpan<byte>> onData) => Enlist(new Stream(fd, null, onData));

    /// <summary>Watches a datagram socket for good; its owner keeps and closes the descriptor.</summary>
    public void WatchDatagrams(int fd, Action<ReadOnlySpan<byte>> onData) => Enlist(new Stream(fd, null, onData, datagrams: true));

    void Enlist(Stream stream)
    {
        lock (gate)
        {
            pending.Add(stream);
            if (stream.Counted)
            {
                open++;
                idle.Reset();
            }
        }
        Pipes.Poke(wakeWrite);
    }

    /// <summary>
    /// Writes one of Corral's own messages from the pump's thread, so that the event loop never
    /// blocks on a stdout or stderr nobody reads. When that happens, messages queue up to a limit
    /// and the oldest are dropped (and counted, and said once the stream moves again).
    /// </summary>
    public void Say(int fd, byte[] data)
    {
        lock (gate)
        {
            if (messages.Count >= MaxQueuedMessages)
            {
                messages.Dequeue();
                droppedMessages++;
            }
            messages.Enqueue((fd, data));
        }
        Pipes.Poke(wakeWrite);
    }

    /// <summary>
    /// Held from taking a message to having written it, so that Drain's writer, which finds the
    /// queue empty, still waits for a message the pump thread took but has not written yet.
    /// </summary>
    readonly object writing = new();

    void WriteMessages()
    {
        while (true)
        {
            lock (writing)
            {
                (int Fd, byte[] Data) next;
                int dropped;
                lock (gate)
                {
                    if (!messages.TryDequeue(out next)) return;
                    dropped = droppedMessages;
                    droppedMessages = 0;
                }
                if (dropped > 0) Output.Write(Unistd.STDERR_FILENO, Encoding.UTF8.GetBytes($"[corral] warning: {dropped} of Corral's messages were dropped: its output was not being read\n"));
                Output.Write(next.Fd, next.Data);
            }
        }
    }

    /// <summary>Waits until every relayed pipe has closed, and Corral's own messages are out, at most <paramref name="timeout"/>.</summary>
    public bool Drain(TimeSpan timeout)
    {
        var started = MonotonicClock.System.Now;
        var done = idle.Wait(timeout);
        // The pump may be asleep in poll with messages queued just now: write what is left, on a
        // thread of its own, so that an output nobody reads cannot keep Corral from exiting.
        var writer = new Thread(WriteMessages, 64 * 1024) { IsBackground = true, Name = "drain" };
        writer.Start();
        // At least a second for it: on a loaded machine a new thread may wait that long to run,
        // and the last messages (why Corral exits) must not be lost to that. It returns at once
        // when the messages are out; only an output nobody reads makes Corral wait it out.
        var left = timeout - (MonotonicClock.System.Now - started);
        writer.Join(left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        return done;
    }

    void Run()
    {
        var buffer = new byte[ReadSize];
        var output = new ArrayBufferWriter<byte>(ReadSize + 4096);
        var fds = new Poll.pollfd[16];
        while (true)
        {
            var known = streams.Count;
            lock (gate)
            {
                streams.AddRange(pending);
                pending.Clear();
            }
            for (var i = known; i < streams.Count; i++)
            {
                if (streams[i].Source?.File is { } file && files is not null) streams[i].File = files.Start(streams[i].Source!.Service, file);
            }
            if (fds.Length < streams.Count + 1) fds = new Poll.pollfd[(streams.Count + 1) * 2];
            fds[0] = new Poll.pollfd { fd = wakeRead, events = Poll.POLLIN };
            // poll(2) skips a negative fd: a stream whose file is behind waits in its pipe.
            for (var i = 0; i < streams.Count; i++)
                fds[i + 1] = new Poll.pollfd { fd = streams[i].File is { Backlogged: true } ? -1 : streams[i].Fd, events = Poll.POLLIN };
            int ready;
            fixed (Poll.pollfd* p = fds) ready = Poll.poll(p, (ulong)(streams.Count + 1), -1);
            if (ready < 0) continue;
            if ((fds[0].revents & Poll.POLLIN) != 0)
            {
                fixed (byte* b = buffer) Unistd.read(wakeRead, b, 64);
            }
            WriteMessages();
            for (var i = streams.Count - 1; i >= 0; i--)
            {
                if (fds[i + 1].revents == 0) continue;
                var s = streams[i];
                nint n;
                fixed (byte* b = buffer) n = Unistd.read(s.Fd, b, buffer.Length);
                if (n < 0 && Errno.Last == Errno.EINTR) continue;
                if (n > 0)
                {
                    if (s.Raw is { } raw) Guard(() => raw(buffer.AsSpan(0, (int)n)));
                    else Relay(s, buffer.AsSpan(0, (int)n), output);
                    continue;
                }
                if (s.Datagrams && (n == 0 || Errno.Last is Errno.EAGAIN or Errno.EINTR)) continue;
                // End of file (or an error): flush the unterminated last line and let go.
                if (s.Carry.Length > 0) Emit(s, s.Carry, output);
                Flush(s, output);
                if (!s.Datagrams) Unistd.close(s.Fd);
                if (s.File is { } ended) files!.Stop(ended);
                streams.RemoveAt(i);
                if (!s.Counted) continue;
                lock (gate)
                {
                    if (--open == 0) idle.Set();
                }
            }
        }
    }

    void Relay(Stream s, ReadOnlySpan<byte> data, ArrayBufferWriter<byte> output)
    {
        while (!data.IsEmpty)
        {
            var nl = data.IndexOf((byte)'\n');
            if (nl < 0)
            {
                var carry = new byte[s.Carry.Length + data.Length];
                s.Carry.CopyTo(carry, 0);
                data.CopyTo(carry.AsSpan(s.Carry.Length));
                s.Carry = carry;
                while (s.Carry.Length >= MaxLine)
                {
                    Emit(s, s.Carry.AsSpan(0, MaxLine), output);
                    s.Carry = s.Carry[MaxLine..];
                }
                break;
            }
            if (s.Carry.Length > 0)
            {
                var line = new byte[s.Carry.Length + nl];
                s.Carry.CopyTo(line, 0);
                data[..nl].CopyTo(line.AsSpan(s.Carry.Length));
                s.Carry = [];
                for (var at = 0; at < line.Length; at += MaxLine)
                    Emit(s, line.AsSpan(at, Math.Min(MaxLine, line.Length - at)), output);
                if (line.Length == 0) Emit(s, [], output);
            }
            else
            {
                var line = data[..nl];
                if (line.Length <= MaxLine) Emit(s, line, output);
                else for (var at = 0; at < line.Length; at += MaxLine)
                        Emit(s, line.Slice(at, Math.Min(MaxLine, line.Length - at)), output);
            }
            data = data[(nl + 1)..];
        }
        Flush(s, output);
    }

    /// <summary>A callback's exception must never stop the relay of every other service's logs.</summary>
    static void Guard(Action action)
    {
        try { action(); }
        catch (Exception e)
        {
            StdIo.Err($"[corral] error: in the log relay: {Problems.Describe(e)}\n");
        }
    }

    void Emit(Stream s, ReadOnlySpan<byte> line, ArrayBufferWriter<byte> output)
    {
        if (s.File is not null)
        {
            // As the service wrote it (a carriage return included): the file is its own.
            var room = filed.GetSpan(line.Length + 1);
            line.CopyTo(room);
            room[line.Length] = (byte)'\n';
            filed.Advance(line.Length + 1);
        }
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (s.Watch is { } watch)
        {
            var text = Encoding.UTF8.GetString(line);
            var matched = false;
            Guard(() => matched = watch(text));
            if (matched) s.Watch = null;
        }
        if (s.Source!.Tap is not null)
        {
            var room = tapped.GetSpan(line.Length + 1);
            line.CopyTo(room);
            room[line.Length] = (byte)'\n';
            tapped.Advance(line.Length + 1);
        }
        if (!s.Source!.Relayed) return;
        if (s.Source.Json)
        {
            JsonLines.Output(output, WallClock.Now, s.Source.Service, s.Source.Stream, Encoding.UTF8.GetString(line));
            return;
        }
        output.Write(s.Source.Prefix);
        output.Write(line);
        output.Write("\n"u8);
    }

    void Flush(Stream s, ArrayBufferWriter<byte> output)
    {
        if (tapped.WrittenCount > 0 && s.Source?.Tap is { } tap)
        {
            try { tap(tapped.WrittenSpan); }
            catch (Exception e) { StdIo.Err($"[corral] error: in the log buffer: {Problems.Describe(e)}\n"); }
        }
        tapped.ResetWrittenCount();
        if (filed.WrittenCount > 0 && s.File is { } file) files!.Write(file, filed.WrittenSpan);
        filed.ResetWrittenCount();
        if (output.WrittenCount == 0 || s.Source is null) return;
        Output.Write(s.Source.TargetFd, output.WrittenSpan);
        output.ResetWrittenCount();
    }
}
