using Corral.Core.Model;

namespace Corral.Os.Spawning;

/// <summary>What to start and how. Everything posix_spawn can do by itself; the rest is chain-loaded.</summary>
public sealed record SpawnRequest(IReadOnlyList<string> Argv)
{
    /// <summary>KEY=VALUE entries; null inherits Corral's own environment.</summary>
    public IReadOnlyList<string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>A descriptor of the directory to start in (fchdir), when there is no path to give.</summary>
    public int? WorkingDirectoryFd { get; init; }

    public ProcessGrouping Grouping { get; init; } = ProcessGrouping.NewGroup;

    /// <summary>Make the child's new group the foreground group of the terminal on stdin.</summary>
    public bool TakeTerminal { get; init; }

    /// <summary>Descriptors to place in the child: (Corral's fd, the child's fd).</summary>
    public IReadOnlyList<(int From, int To)> FileDescriptors { get; init; } = [];

    /// <summary>Signals blocked in the child as it starts; none by default.</summary>
    public IReadOnlyList<int> BlockedSignals { get; init; } = [];

    /// <summary>Signals left ignored in the child if Corral ignores them; all others start at their default.</summary>
    public IReadOnlyList<int> KeepIgnored { get; init; } = [];

    /// <summary>
    /// The file to execute when it is not Argv[0]: Corral chain-loading itself runs its own file
    /// as "corral", because a copy named tini or dumb-init would take that name's personality.
    /// </summary>
    public string? Program { get; init; }

    /// <summary>Look the program up in PATH when it has no slash (execvp rules).</summary>
    public bool SearchPath { get; init; } = true;
}

/// <summary>The pid of the new child, or the errno that stopped it (exec failures included).</summary>
public readonly record struct SpawnResult(int Pid, int Errno)
{
    public bool Succeeded => Errno == 0;
}
