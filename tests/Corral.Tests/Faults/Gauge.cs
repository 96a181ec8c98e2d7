using System.Globalization;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Faults;

/// <summary>What a fault test measures of a process (Corral) and of the processes a test left behind.</summary>
public static class Gauge
{
    /// <summary>Open file descriptors of a process, from /proc/PID/fd.</summary>
    public static int Fds(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>
    /// Threads of a process, but for the .NET thread pool's workers: the pool adds workers of
    /// its own when work waits on a loaded machine and retires them later, and they are
    /// bounded; a leak of Corral's own threads (one per restart, per reload) is what is counted.
    /// </summary>
    public static int Threads(int pid)
    {
        var count = 0;
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET TP Worker", StringComparison.Ordinal)) count++;
            }
            catch (IOException) { } // the thread ended meanwhile
        }
        return count;
    }

    /// <summary>Resident memory of a process in kB, from /proc/PID/status.</summary>
    public static long RssKb(int pid) => StatusField(pid, "VmRSS:");

    static long StatusField(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>A number no other test or process uses, for a `sleep` a test can find again by its command line.</summary>
    public static string Token() => "9" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>The live (not zombie) processes whose command line is exactly `sleep TOKEN`.</summary>
    public static IReadOnlyList<int> Sleeping(string token)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string cmdline;
            try { cmdline = File.ReadAllText($"{dir}/cmdline"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (cmdline == $"sleep\0{token}\0" && ProcFs.Alive(pid)) found.Add(pid);
        }
        return found;
    }

    /// <summary>Corral's own children that are zombies (exits it has not reaped).</summary>
    public static IReadOnlyList<int> Zombies(int pid) =>
        [.. ProcFs.All().Where(e => e.Ppid == pid && e.State == 'Z').Select(e => e.Pid)];
}
