using System.Collections.Immutable;
using Corral.Core.Config;
using Corral.Core.Model.Services;
using Corral.Os;
using Corral.Os.Spawning;

namespace Corral.Config;

/// <summary>
/// What the plan cannot know: whether this machine has a service's program, user, group and
/// working directory. Each finding is a warning, never an error: <c>corral check</c> may run
/// on a build host, and the container the file is for may well differ.
/// </summary>
/// <remarks>
/// Users and groups are looked up as <c>corral exec --user</c> looks them up: in the text of
/// /etc/passwd and /etc/group (<see cref="EtcFiles"/>, <see cref="AccountDatabase"/>), never
/// through NSS. Programs are looked up as the spawn looks them up (<see cref="ProgramSearch"/>).
/// </remarks>
public static class HostChecks
{
    const string InContainer = "fine if the container it runs in differs from this machine";

    public static ImmutableArray<Diagnostic> Check(SupervisorConfig config, IReadOnlyDictionary<string, string> env)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var configDirectory = Path.GetDirectoryName(Path.GetFullPath(config.Source.Length > 0 ? config.Source : "corral.yaml")) ?? "/";
        var users = new Lazy<IReadOnlySet<string>>(() => AccountDatabase.ParseUsers(EtcFiles.Passwd).Select(u => u.Name).ToHashSet(StringComparer.Ordinal));
        var groups = new Lazy<IReadOnlySet<string>>(() => AccountDatabase.ParseGroups(EtcFiles.Group).Select(g => g.Name).ToHashSet(StringComparer.Ordinal));
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
        if (s.Shell) return ProgramSearch.IsExecutable("/bin/sh") ? null : "shell: true runs /bin/sh, which is not here";
        if (s.Command.IsDefaultOrEmpty || s.Command[0].Length == 0) return null;
        var program = s.Command[0];
        var path = s.Environment.LastOrDefault(kv => kv.Key == "PATH").Value ?? env.GetValueOrDefault("PATH");
        if (ProgramSearch.Find(program, path, workingDir) is not null) return null;
        return program.Contains('/') ? $"'{program}' is not an executable file here" : $"'{program}' is not in PATH";
    }

    /// <summary>"app:staff" → (app, staff), as <c>corral exec --user</c> reads it.</summary>
    static (string? User, string? Group) SplitUser(string? text)
    {
        if (text is null) return (null, null);
        var colon = text.IndexOf(':');
        return colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
    }

    // A number is an id, which needs no entry. A missing file is an empty database, as for
    // corral exec --user, which would not find the name either.
    static bool IsUnknown(string name, IReadOnlySet<string> known) =>
        name.Length > 0 && !name.All(char.IsAsciiDigit) && !known.Contains(name);
}
