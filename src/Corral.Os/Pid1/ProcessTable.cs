namespace Corral.Os.Pid1;

/// <summary>
/// Reads /proc to find the processes below Corral. Used by the final sweep when Corral is a
/// subreaper rather than PID 1, where kill(-1) would reach far beyond the container.
/// </summary>
public static class ProcessTable
{
    /// <summary>Every live process whose ancestry leads to root (root excluded).</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            var ppid = ReadParent(pid);
            if (ppid >= 0) parents[pid] = ppid;
        }
        var result = new List<int>();
        foreach (var pid in parents.Keys)
        {
            var p = pid;
            for (var depth = 0; depth < 4096 && parents.TryGetValue(p, out var parent); depth++)
            {
                if (parent == root) { result.Add(pid); break; }
                p = parent;
            }
        }
        return result;
    }

    /// <summary>Whether pid is a live descendant of ancestor (its parent chain reaches it).</summary>
    public static bool IsDescendant(int pid, int ancestor)
    {
        for (var depth = 0; depth < 4096 && pid > 1; depth++)
        {
            var parent = ReadParent(pid);
            if (parent == ancestor) return true;
            if (parent <= 0) return false;
            pid = parent;
        }
        return false;
    }

    /// <summary>The parent pid from /proc/PID/stat, or -1 when the process is gone.</summary>
    public static int ReadParent(int pid) => ReadStat(pid).Parent;

    /// <summary>The parent pid and process group from /proc/PID/stat; -1 for both when the process is gone.</summary>
    public static (int Parent, int Group) ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses; cut at the last ')'.
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ', 4);
            return (int.Parse(fields[1]), int.Parse(fields[2]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return (-1, -1);
        }
    }
}
