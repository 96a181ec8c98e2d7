namespace Corral.Core.Model.Services;

/// <summary>
/// The rules of a rotated log file (<see cref="LogTarget"/> with MaxBytes), as pure functions
/// the log writer follows: which lines still fit in the current file, and the renames that
/// rotate it, supervisord's way (<c>name.log.1</c> is the newest old file).
/// </summary>
public static class LogRotation
{
    /// <summary>
    /// How many bytes of <paramref name="lines"/> (whole lines, each ending in '\n') go into a
    /// file that holds <paramref name="size"/> bytes before it must be rotated: the longest run
    /// of whole lines that keeps it within <paramref name="maxBytes"/>. A line longer than
    /// MaxBytes on its own goes whole into an empty file (a line is never split across files).
    /// 0 means: rotate first. MaxBytes 0: no limit.
    /// </summary>
    public static int Fitting(ReadOnlySpan<byte> lines, long size, long maxBytes)
    {
        if (maxBytes <= 0) return lines.Length;
        var room = maxBytes - size;
        if (room >= lines.Length) return lines.Length;
        var fits = room <= 0 ? 0 : lines[..(int)room].LastIndexOf((byte)'\n') + 1;
        if (fits > 0 || size > 0) return fits;
        // An empty file and a first line longer than the limit: that line alone.
        var first = lines.IndexOf((byte)'\n');
        return first < 0 ? lines.Length : first + 1;
    }

    /// <summary>
    /// The renames, in order, that rotate <paramref name="path"/> keeping <paramref name="backups"/>
    /// old files: path.(N-1) → path.N … path.1 → path.2, then path → path.1 (the oldest, path.N,
    /// is replaced). None for 0 backups: the file is truncated instead.
    /// </summary>
    public static IReadOnlyList<(string From, string To)> Renames(string path, int backups)
    {
        var renames = new List<(string, string)>();
        for (var i = backups - 1; i >= 1; i--) renames.Add(($"{path}.{i}", $"{path}.{i + 1}"));
        if (backups > 0) renames.Add((path, $"{path}.1"));
        return renames;
    }
}
