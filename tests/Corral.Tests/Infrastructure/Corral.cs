namespace Corral.Tests.Infrastructure;

/// <summary>Where the published corral is, and the personality links that point at it.</summary>
public static class CorralBinary
{
    static readonly Lazy<string> path = new(Find);
    static readonly Lazy<string> links = new(MakeLinks);

    public static string Path => path.Value;

    /// <summary>A directory holding tini, docker-init, dumb-init and supervisord symlinks to corral.</summary>
    public static string LinkDirectory => links.Value;

    public static string As(string personality) => System.IO.Path.Combine(LinkDirectory, personality);

    /// <summary>The checkout the tests run from (where Corral.slnx is): for examples/ and the like.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Corral.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Corral.slnx) above " + AppContext.BaseDirectory);
        }
    }

    static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CORRAL_BIN");
        if (!string.IsNullOrEmpty(fromEnv)) return System.IO.Path.GetFullPath(fromEnv);
        var bin = System.IO.Path.Combine(RepositoryRoot, "tests", "Corral.Tests", "bin", "corral", "corral");
        if (!File.Exists(bin)) throw new InvalidOperationException($"{bin} is missing: building Corral.Tests publishes it, or set CORRAL_BIN");
        return bin;
    }

    static string MakeLinks()
    {
        var dir = Directory.CreateTempSubdirectory("corral-links-").FullName;
        foreach (var name in new[] { "tini", "docker-init", "dumb-init", "supervisord" })
            File.CreateSymbolicLink(System.IO.Path.Combine(dir, name), Path);
        return dir;
    }
}
