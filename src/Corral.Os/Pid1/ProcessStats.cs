namespace Corral.Os.Pid1;

/// <summary>CPU time and resident memory of processes, read from /proc, for metrics and status.</summary>
/// <param name="CpuSeconds">User plus system time.</param>
/// <param name="ResidentBytes">Resident set size.</param>
public readonly record struct ProcessUsage(double CpuSeconds, long ResidentBytes)
{
    public static ProcessUsage operator +(ProcessUsage a, ProcessUsage b) => new(a.CpuSeconds + b.CpuSeconds, a.ResidentBytes + b.ResidentBytes);
}

public static class ProcessStats
{
    // Linux reports times in clock ticks (USER_HZ), 100 on every architecture Corral runs on.
    const double TicksPerSecond = 100;
    static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>
    /// Usage of every live process, keyed by its process group: one pass over /proc gives each
    /// service's whole group (a service and the children it started) at once.
    /// </summary>
    public static Dictionary<int, ProcessUsage> ByProcessGroup()
    {
        var groups = new Dictionary<int, ProcessUsage>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (Read(pid) is not { } stat) continue;
            groups[stat.Group] = groups.GetValueOrDefault(stat.Group) + stat.Usage;
        }
        return groups;
    }

    /// <summary>One process's usage, or null when it is gone.</summary>
    public static ProcessUsage? Of(int pid) => Read(pid)?.Usage;

    /// <summary>Fields of /proc/PID/stat after the command name: state(3) ppid pgrp … utime(14) stime(15) … rss(24).</summary>
    static (int Group, ProcessUsage Usage)? Read(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // The command name may hold spaces and parentheses: the fields start after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 22) return null;
        if (!int.TryParse(fields[2], out var group)) return null;
        if (!long.TryParse(fields[11], out var utime) || !long.TryParse(fields[12], out var stime)) return null;
        if (!long.TryParse(fields[21], out var rssPages)) return null;
        return (group, new ProcessUsage((utime + stime) / TicksPerSecond, rssPages * PageSize));
    }
}
