namespace Corral.Tests.Infrastructure;

/// <summary>Reads the process table from /proc.</summary>
public static class ProcFs
{
    public sealed record Entry(int Pid, int Ppid, char State, string Comm);

    /// <summary>A process's command line, arguments joined by spaces; "" when it is gone (reaped between a listing and the read).</summary>
    public static string Cmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    public static IReadOnlyList<Entry> All()
    {
        var list = new List<Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (Read(pid) is { } e) list.Add(e);
        }
        return list;
    }

    public static Entry? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var rest = stat[(close + 2)..].Split(' ');
            return new Entry(pid, int.Parse(rest[1]), rest[0][0], stat[(open + 1)..close]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException) { return null; }
    }

    public static IReadOnlyList<int> ChildrenOf(int pid) => [.. All().Where(e => e.Ppid == pid).Select(e => e.Pid)];

    /// <summary>Waits until pid has exactly one child and returns it (e.g. corral under unshare).</summary>
    public static int WaitForOnlyChild(int pid, TimeSpan? timeout = null) =>
        Wait.Until(() => ChildrenOf(pid) is [var only] ? only : (int?)null, timeout, $"a child of {pid}");

    /// <summary>"S", "T", "Z"… for a live process, or null when it is gone.</summary>
    public static char? State(int pid) => Read(pid)?.State;

    /// <summary>utime + stime of a process, in clock ticks (1/100 s).</summary>
    public static long CpuTicks(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    /// <summary>The process exists and is not a zombie.</summary>
    public static bool Alive(int pid) => State(pid) is { } s && s != 'Z';

    /// <summary>The signals a process catches, from /proc/PID/status SigCgt.</summary>
    public static ulong CaughtSignals(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigCgt:", StringComparison.Ordinal));
        return Convert.ToUInt64(line[7..].Trim(), 16);
    }
}

public static class Wait
{
    /// <summary>Polls a condition until it yields a value or the deadline passes (tests only).</summary>
    public static T Until<T>(Func<T?> probe, TimeSpan? timeout, string what) where T : struct
    {
        var deadline = DateTime.UtcNow + (timeout ?? Run.DefaultTimeout);
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            Thread.Sleep(20);
        }
    }

    public static void Until(Func<bool> condition, TimeSpan? timeout, string what) =>
        Until(() => condition() ? true : (bool?)null, timeout, what);
}
