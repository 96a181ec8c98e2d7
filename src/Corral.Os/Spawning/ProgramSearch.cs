namespace Corral.Os.Spawning;

/// <summary>
/// Where a program name leads, as posix_spawnp and execvpe look it up: a name with a '/' is a
/// path (relative to the working directory), any other is tried in each directory of PATH,
/// an empty entry meaning the working directory. Used to say beforehand what a spawn would
/// find (<c>corral check</c>, a mistyped verb), never to spawn.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class ProgramSearch
{
    /// <summary>glibc's search path when PATH is unset (confstr _CS_PATH): what the spawn would use.</summary>
    public const string DefaultPath = "/bin:/usr/bin";

    /// <summary>
    /// The executable file the program name leads to, or null. <paramref name="path"/> is the
    /// PATH in effect, null when unset.
    /// </summary>
    public static string? Find(string program, string? path, string workingDirectory)
    {
        if (program.Length == 0) return null;
        if (program.Contains('/'))
        {
            var file = Path.Combine(workingDirectory, program);
            return IsExecutable(file) ? file : null;
        }
        foreach (var dir in (path ?? DefaultPath).Split(':'))
        {
            var file = Path.Combine(dir.Length == 0 ? workingDirectory : dir, program);
            if (IsExecutable(file)) return file;
        }
        return null;
    }

    /// <summary>A regular file with an execute bit set.</summary>
    public static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
