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

    /// <summary>The process whose pipe this is (0: none), for <see cref="LogPump.Settle"/>.</summary>
    public int Pid { get; init; }
}

/// <summary>
/// Overview: one thread relays every service's stdout and stderr to Corral's outputs. It
/// blocks in poll(2) on all pipes (no timer, no polling), cuts what it reads into lines, and
/// hands each batch of whole lines to the <see cref="OutputQueue"/> of Corral's stdout or stderr,
/// which writes it with one write, so lines are never mangled or interleaved. A line longer
/// than <see cref="MaxLine"/> is passed on in pieces. A partial last line is flushed when the
/// pipe closes, so nothing is lost when a service exits. Neither the event loop nor this thread
/// ever waits for an output: a slow reader of Corral's stdout holds back only the pipes bound
/// for it (while its queue is over its backlog, they are not read and their services' writes
/// wait), and stderr, the pipes of exited services and notifications go on (when stdout and
/// stderr are one file, they have one queue, and so wait together). The event loop waits for
/// this thread in one case: at a process's exit, until what its pipes hold is passed on
/// (<see cref="Settle"/>, bounded), when it has pipes here at all. Lines bound for a
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

    /// <summary>A process that exited, whose pipes are to be passed on before its exit is acted on.</summary>
    sealed record Settling(int Pid)
    {
        public ManualResetEventSlim Done { get; } = new(false);
    }

    /// <summary>Reads of one pipe at most for a settle: what an exited process left is one pipe's
    /// capacity; a process left behind that goes on writing must not hold up the loop.</summary>
    const int MaxSettleReads = 4;

    readonly object gate = new();
    readonly List<Stream> pending = [];
    readonly List<Settling> settling = [];
    /// <summary>Pipes enlisted and not yet ended, by process (under the lock): a process without any needs no settle.</summary>
    readonly Dictionary<int, int> pipesOf = [];
    readonly OutputQueue stdout, stderr;
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
        // One file for both (2>&1, a terminal): one queue keeps the order Corral wrote in.
        if (Descriptors.SameFile(Unistd.STDOUT_FILENO, Unistd.STDERR_FILENO)) stdout = stderr = new OutputQueue(Unistd.STDOUT_FILENO, Unistd.STDERR_FILENO);
        else (stdout, stderr) = (new OutputQueue(Unistd.STDOUT_FILENO), new OutputQueue(Unistd.STDERR_FILENO));
        var (r, w, errno) = Pipes.Create();
        if (errno != 0) throw new IOException($"cannot create the log pump's pipe: {Errno.Describe(errno)}");
        (wakeRead, wakeWrite) = (r, w);
        // A stream held back while its file's writer caught up may be read again.
        if (files is not null) files.CaughtUp = () => Pipes.Poke(wakeWrite);
        // So is a stream held back while Corral's stdout or stderr was read slowly.
        stdout.CaughtUp = stderr.CaughtUp = () => Pipes.Poke(wakeWrite);
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
            if (stream.Source is { Pid: > 0 } source) pipesOf[source.Pid] = pipesOf.GetValueOrDefault(source.Pid) + 1;
            if (stream.Counted)
            {
                open++;
                idle.Reset();
            }
        }
        Pipes.Poke(wakeWrite);
    }

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, until the pump has passed on what the pipes of
    /// process <paramref name="pid"/> hold now. Called by the event loop when the process has
    /// exited, before its exit is acted on: a oneshot's last lines then come before the first
    /// lines of the services that waited for it, and a service's last words at a stop before
    /// those of the services stopped after it. Pipes held back by a slow output are left as they
    /// are (back-pressure comes first). False when the limit passed first (a starved machine).
    /// </summary>
    public bool Settle(int pid, TimeSpan limit)
    {
        var request = new Settling(pid);
        lock (gate)
        {
            // Its pipes have all ended (or it never had any here, as an adopted orphan): nothing to wait for.
            if (!pipesOf.ContainsKey(pid)) return true;
            settling.Add(request);
        }
        Pipes.Poke(wakeWrite);
        return request.Done.Wait(limit);
    }

    /// <summary>
    /// Writes one of Corral's own messages on the writer thread of its output, so that the event
    /// loop never blocks on a stdout or stderr nobody reads. Past that output's limit, messages
    /// are dropped, counted, and the count said once the output moves again (<see cref="OutputQueue"/>).
    /// </summary>
    public void Say(int fd, byte[] data) => Send(fd, data);

    void Send(int fd, ReadOnlySpan<byte> data)
    {
        if (QueueOf(fd) is { } queue) queue.Write(fd, data);
        else Output.Write(fd, data);
    }

    /// <summary>The queue of Corral's stdout or stderr; null for another descriptor (written directly).</summary>
    OutputQueue? QueueOf(int fd) => fd == Unistd.STDOUT_FILENO ? stdout : fd == Unistd.STDERR_FILENO ? stderr : null;

    /// <summary>How one of Corral's warnings looks on its outputs (the config's log format), from its message.</summary>
    public Func<string, byte[]> Notice
    {
        set => stdout.Notice = stderr.Notice = value;
    }

    /// <summary>Waits until every relayed pipe has closed and its lines are passed on, at most <paramref name="timeout"/>.</summary>
    public bool DrainPipes(TimeSpan timeout) => idle.Wait(timeout);

    /// <summary>
    /// Waits until Corral's stdout and stderr have written what they hold, at least a second: on
    /// a loaded machine a thread may wait that long to run, and the last messages (why Corral
    /// exits) must not be lost to that. It returns at once when all is out; only an output
    /// nobody reads makes Corral wait it out.
    /// </summary>
    public void DrainOutputs()
    {
        // One file for both: one queue, and no other output to say what did not get out.
        if (ReferenceEquals(stdout, stderr))
        {
            stdout.Drain(TimeSpan.FromSeconds(1));
            return;
        }
        var until = MonotonicClock.System.Now + TimeSpan.FromSeconds(1);
        var outDone = stdout.Drain(until - MonotonicClock.System.Now);
        var errDone = stderr.Drain(until - MonotonicClock.System.Now);
        // Lines that never got out are not lost unsaid: on the other output, written directly
        // (its writer may be the one stuck; a write to a broken or closed output is dropped).
        if (!outDone && stdout.Unwritten() is { } lostOut && errDone) Output.Write(Unistd.STDERR_FILENO, stderr.Notice(lostOut));
        if (!errDone && stderr.Unwritten() is { } lostErr && outDone) Output.Write(Unistd.STDOUT_FILENO, stdout.Notice(lostErr));
    }

    void Run()
    {
        var buffer = new byte[ReadSize];
        var output = new ArrayBufferWriter<byte>(ReadSize + 4096);
        var fds = new Poll.pollfd[16];
        while (true)
        {
            TakePending();
            if (fds.Length < streams.Count + 1) fds = new Poll.pollfd[(streams.Count + 1) * 2];
            fds[0] = new Poll.pollfd { fd = wakeRead, events = Poll.POLLIN };
            // poll(2) skips a negative fd: a stream whose file is behind waits in its pipe. One
            // whose output is behind waits too while its service may still write (no POLLIN),
            // but its end (POLLHUP, always reported) is taken: what is left of it is read.
            for (var i = 0; i < streams.Count; i++)
                fds[i + 1] = new Poll.pollfd
                {
                    fd = FileBehind(streams[i]) ? -1 : streams[i].Fd,
                    events = HeldBack(streams[i]) ? (short)0 : Poll.POLLIN,
                };
            int ready;
            fixed (Poll.pollfd* p = fds) ready = Poll.poll(p, (ulong)(streams.Count + 1), -1);
            if (ready < 0) continue;
            if ((fds[0].revents & Poll.POLLIN) != 0)
            {
                fixed (byte* b = buffer) Unistd.read(wakeRead, b, 64);
            }
            for (var i = streams.Count - 1; i >= 0; i--)
            {
                if (fds[i + 1].revents != 0) Take(i, buffer, output);
            }
            List<Settling>? asked = null;
            lock (gate)
            {
                if (settling.Count > 0)
                {
                    asked = [.. settling];
                    settling.Clear();
                }
            }
            if (asked is null) continue;
            // A request comes after its process's pipes were enlisted (both from the event
            // loop, under the lock): they are in the list once what is pending is taken.
            TakePending();
            foreach (var request in asked)
            {
                SettleNow(request.Pid, buffer, output);
                request.Done.Set();
            }
        }
    }

    /// <summary>Takes the streams enlisted since the last time into the list, starting their files.</summary>
    void TakePending()
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
    }

    /// <summary>Reads streams[i] once and passes the data on; false when it ended (and was let go) or gave nothing.</summary>
    bool Take(int i, byte[] buffer, ArrayBufferWriter<byte> output)
    {
        var s = streams[i];
        nint n;
        fixed (byte* b = buffer) n = Unistd.read(s.Fd, b, buffer.Length);
        if (n < 0 && Errno.Last == Errno.EINTR) return false;
        if (n > 0)
        {
            if (s.Raw is { } raw) Guard(() => raw(buffer.AsSpan(0, (int)n)));
            else Relay(s, buffer.AsSpan(0, (int)n), output);
            return true;
        }
        if (s.Datagrams && (n == 0 || Errno.Last is Errno.EAGAIN or Errno.EINTR)) return false;
        // End of file (or an error): flush the unterminated last line and let go.
        if (s.Carry.Length > 0) Emit(s, s.Carry, output);
        Flush(s, output);
        if (!s.Datagrams) Unistd.close(s.Fd);
        if (s.File is { } ended) files!.Stop(ended);
        streams.RemoveAt(i);
        if (s.Counted)
        {
            lock (gate)
            {
                if (--open == 0) idle.Set();
                if (s.Source is { Pid: > 0 } source && --pipesOf[source.Pid] == 0) pipesOf.Remove(source.Pid);
            }
        }
        return false;
    }

    /// <summary>Passes on what the pipes of an exited process hold now (a few reads at most each).</summary>
    void SettleNow(int pid, byte[] buffer, ArrayBufferWriter<byte> output)
    {
        for (var i = streams.Count - 1; i >= 0; i--)
        {
            var s = streams[i];
            if (s.Source?.Pid != pid) continue;
            // Back-pressure comes first, checked before every read: a read may fill the output's queue.
            for (var reads = 0; reads < MaxSettleReads && !Paused(s) && Readable(s.Fd); reads++)
            {
                if (!Take(i, buffer, output)) break;
            }
        }
    }

    /// <summary>Data (or the end) waits in fd now: poll(2) without waiting.</summary>
    static bool Readable(int fd)
    {
        var one = new Poll.pollfd { fd = fd, events = Poll.POLLIN };
        return Poll.poll(&one, 1, 0) == 1 && one.revents != 0;
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

    /// <summary>A stream whose log file's writer is behind: it waits in its pipe.</summary>
    static bool FileBehind(Stream s) => s.File is { Backlogged: true };

    /// <summary>A stream not to be read now: its file or its output is behind.</summary>
    bool Paused(Stream s) => FileBehind(s) || HeldBack(s);

    /// <summary>A stream relayed to an output whose queue is over its backlog.</summary>
    bool HeldBack(Stream s) => s.Source is { Relayed: true } source && QueueOf(source.TargetFd) is { Backlogged: true };

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
        Send(s.Source.TargetFd, output.WrittenSpan);
        output.ResetWrittenCount();
    }
}
