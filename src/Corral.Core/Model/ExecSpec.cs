using System.Collections.Immutable;

namespace Corral.Core.Model;

/// <summary>
/// What <c>corral exec</c> applies to itself before it execs the command: the things
/// posix_spawn cannot set (identity, umask, limits, parent-death signal, no_new_privs).
/// </summary>
public sealed record ExecSpec
{
    public required ImmutableArray<string> Command { get; init; }

    /// <summary>A user name or numeric uid; null keeps the current user.</summary>
    public string? User { get; init; }

    /// <summary>A group name or numeric gid; null takes the user's primary group.</summary>
    public string? Group { get; init; }

    /// <summary>Octal file-mode mask, e.g. 0o022; null keeps the current one.</summary>
    public int? Umask { get; init; }

    public ImmutableArray<ResourceLimit> Limits { get; init; } = [];

    public int ParentDeathSignal { get; init; }

    public bool NoNewPrivileges { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Signals to leave ignored in the program (tini hands on what it inherited).</summary>
    public ImmutableArray<int> IgnoreSignals { get; init; } = [];

    /// <summary>The program's signal mask as it starts (tini hands on what it inherited); empty by default.</summary>
    public ImmutableArray<int> BlockSignals { get; init; } = [];

    /// <summary>Make the terminal on stdin this session's controlling terminal (dumb-init's hand-off).</summary>
    public bool TakeControllingTerminal { get; init; }

    /// <summary>Say so on stderr when taking the terminal fails (dumb-init's debug line).</summary>
    public bool ReportTerminal { get; init; }

    /// <summary>Whose words to use when the program cannot be run.</summary>
    public Personality ErrorStyle { get; init; } = Personality.Corral;

    /// <summary>When set, an exec failure's errno is written to this descriptor (4 bytes) before exiting.</summary>
    public int? ReportFd { get; init; }

    /// <summary>The command's whole environment (KEY=VALUE); null: this process's own (with HOME replaced when the user changes).</summary>
    public ImmutableArray<string>? Environment { get; init; }
}

/// <summary>One setrlimit: the resource by its short name ("nofile") and its soft and hard values.</summary>
public sealed record ResourceLimit(string Resource, ulong Soft, ulong Hard)
{
    public const ulong Unlimited = ulong.MaxValue;

    public static readonly ImmutableArray<string> Names =
    [
        "cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as",
        "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime",
    ];

    /// <summary>Parses "nofile=1024", "nofile=1024:4096", "core=unlimited".</summary>
    public static bool TryParse(string text, out ResourceLimit? limit, out string error)
    {
        limit = null;
        error = "";
        var eq = text.IndexOf('=');
        if (eq <= 0) { error = $"'{text}' is not NAME=SOFT[:HARD]"; return false; }
        var name = text[..eq].Trim().ToLowerInvariant();
        if (name.StartsWith("rlimit_", StringComparison.Ordinal)) name = name[7..];
        if (!Names.Contains(name)) { error = $"unknown resource '{name}' (one of {string.Join(", ", Names)})"; return false; }
        var values = text[(eq + 1)..].Split(':');
        if (values.Length > 2 || !TryValue(values[0], out var soft)) { error = $"bad limit in '{text}'"; return false; }
        var hard = soft;
        if (values.Length == 2 && !TryValue(values[1], out hard)) { error = $"bad limit in '{text}'"; return false; }
        if (soft > hard) { error = $"soft limit above hard limit in '{text}'"; return false; }
        limit = new ResourceLimit(name, soft, hard);
        return true;
    }

    static bool TryValue(string s, out ulong value)
    {
        s = s.Trim().ToLowerInvariant();
        if (s is "unlimited" or "infinity" or "-1") { value = Unlimited; return true; }
        return ulong.TryParse(s, out value);
    }
}
