using System.Text;

namespace Corral.Os.Pid1;

/// <summary>
/// Finds a service's processes that left its process group, which a signal to the group misses:
/// those still below the service's process but in a group of their own (they called setsid), and
/// those re-parented to Corral (a daemon that double-forked; Corral is PID 1 or a subreaper),
/// recognised by the <see cref="Variable"/> Corral put in the service's environment, and
/// everything below them. Reads only the trees concerned, through /proc/PID/task/TID/children,
/// not the whole process table.
/// </summary>
public static class Strays
{
    /// <summary>The variable Corral sets to the service's name in every process it starts for it.</summary>
    public const string Variable = "CORRAL_SERVICE";

    /// <summary>
    /// The processes of <paramref name="service"/> (its process group <paramref name="group"/>,
    /// led by the process Corral spawned) outside that group. <paramref name="spawned"/>: the live
    /// processes Corral spawned itself (services, finish scripts), whose environment need not be
    /// read: none of them is a stray re-parented to Corral.
    /// </summary>
    public static List<int> Of(string service, int group, IReadOnlySet<int> spawned)
    {
        var found = new List<int>();
        var self = ProcessIdentity.Pid;
        // Below the service's process: every process not in its group.
        if (group > 0) Collect(group, group, found, top: false);
        // Re-parented to Corral: a child Corral did not spawn, with the service's name.
        foreach (var child in ChildrenOf(self))
        {
            if (child == group || spawned.Contains(child)) continue;
            if (ServiceOf(child) == service) Collect(child, group, found, top: true);
        }
        return found;
    }

    /// <summary>Adds root (when top) and every process below it whose group is not <paramref name="group"/>.</summary>
    static void Collect(int root, int group, List<int> found, bool top)
    {
        var pending = new Stack<int>();
        pending.Push(root);
        var seen = new HashSet<int>();
        while (pending.Count > 0 && seen.Count < 100_000)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid)) continue;
            if ((pid != root || top) && ProcessTable.ReadStat(pid).Group is var g && g > 0 && g != group) found.Add(pid);
            foreach (var child in ChildrenOf(pid)) pending.Push(child);
        }
    }

    /// <summary>The children of every thread of pid (empty when it is gone).</summary>
    static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string text;
                try { text = File.ReadAllText(Path.Combine(task, "children")); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(word, out var child)) children.Add(child);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return children;
    }

    /// <summary>The value of <see cref="Variable"/> in the environment pid started with, or null.</summary>
    static string? ServiceOf(int pid)
    {
        byte[] environ;
        try { environ = File.ReadAllBytes($"/proc/{pid}/environ"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        var key = Encoding.UTF8.GetBytes(Variable + "=");
        var start = 0;
        while (start < environ.Length)
        {
            var end = Array.IndexOf(environ, (byte)0, start);
            if (end < 0) end = environ.Length;
            var entry = environ.AsSpan(start, end - start);
            if (entry.StartsWith(key)) return Encoding.UTF8.GetString(entry[key.Length..]);
            start = end + 1;
        }
        return null;
    }
}
