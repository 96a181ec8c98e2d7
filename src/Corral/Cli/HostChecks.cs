using System.Collections.Immutable;
using Corral.Core.Config;
using Corral.Core.Model.Services;

namespace Corral.Cli;

/// <summary>
/// What the plan cannot know: whether this machine has a service's program, user, group and
/// working directory. Each finding is a warning, never an error: <c>corral check</c> may run
/// on a build host, and the container the file is for may well differ.
/// </summary>
/// <remarks>
/// Users and groups are looked up in /etc/passwd and /etc/group themselves, not through the C
/// library: the static binary has no NSS, and a container has no other source anyway.
/// </remarks>
public static class HostChecks
{
    const string InContainer = "fine if the container it runs in differs from this machine";

    public static ImmutableArray<Diagnostic> Check(SupervisorConfig config, IReadOnlyDictionary<string, string> env)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var configDirectory = Path.GetDirectoryName(Path.GetFullPath(config.Source.Length > 0 ? config.Source : "corral.yaml")) ?? "/";
        var users = new Lazy<IReadOnlySet<string>?>(() => ReadNames("/etc/passwd", text => AccountDatabase.ParseUsers(text).Select(u => u.Name)));
        var groups = new Lazy<IReadOnlySet<string>?>(() => ReadNames("/etc/group", text => AccountDatabase.ParseGroups(text).Select(g => g.Name)));
        foreach (var s in config.Services)
        {
            void Warn(string key, string message) => diagnostics.Add(new(s.Where, $"services.{s.Name}.{key}", message + "; " + InContainer, Severity.Warning));

            var workingDir = s.WorkingDir is { } wd ? Path.GetFullPath(Path.Combine(configDirectory, wd)) : null;
            if (workingDir is not null && !Directory.Exists(workingDir))
                Warn("working_dir", $"'{workingDir}' does not exist here");
            if (MissingProgram(s, workingDir ?? Environment.CurrentDirectory, env) is { } missing)
                Warn(s.Shell ? "shell" : "command", missing);
            var (user, userGroup) = SplitUser(s.User);
            if (user is not null && IsUnknown(user, users.Value))
                Warn("user", $"no user '{user}' in /etc/passwd");
            if (userGroup is not null && IsUnknown(userGroup, groups.Value))
                Warn("user", $"no group '{userGroup}' in /etc/group");
            if (s.Group is not null && IsUnknown(s.Group, groups.Value))
                Warn("group", $"no group '{s.Group}' in /etc/group");
        }
        return diagnostics.ToImmutable();
    }

    /// <summary>Why the program would not be found (the shell for a shell command), or null.</summary>
    static string? MissingProgram(ServiceSpec s, string workingDir, IReadOnlyDictionary<string, string> env)
    {
        if (s.Shell) return IsExecutable("/bin/sh") ? null : "shell: true runs /bin/sh, which is not here";
        if (s.Command.IsDefaultOrEmpty || s.Command[0].Length == 0) return null;
        var program = s.Command[0];
        // As execvp: a name with a '/' is a path (relative to the working directory), else it is looked up in PATH.
        if (program.Contains('/'))
            return IsExecutable(Path.Combine(workingDir, program)) ? null : $"'{program}' is not an executable file here";
        var path = s.Environment.LastOrDefault(kv => kv.Key == "PATH").Value ?? env.GetValueOrDefault("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        var found = path.Split(':').Any(dir => IsExecutable(Path.Combine(dir.Length == 0 ? workingDir : dir, program)));
        return found ? null : $"'{program}' is not in PATH";
    }

    static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>The names in /etc/passwd or /etc/group, or null when the file cannot be read.</summary>
    static IReadOnlySet<string>? ReadNames(string path, Func<string, IEnumerable<string>> names)
    {
        try { return names(File.ReadAllText(path)).ToHashSet(StringComparer.Ordinal); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>"app:staff" → (app, staff), as <c>corral exec --user</c> reads it.</summary>
    static (string? User, string? Group) SplitUser(string? text)
    {
        if (text is null) return (null, null);
        var colon = text.IndexOf(':');
        return colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
    }

    // A number is an id, which needs no entry; an unreadable file tells nothing.
    static bool IsUnknown(string name, IReadOnlySet<string>? known) =>
        name.Length > 0 && !name.All(char.IsAsciiDigit) && known is not null && !known.Contains(name);
}
