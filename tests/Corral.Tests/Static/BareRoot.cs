using Corral.Tests.Infrastructure;

namespace Corral.Tests.Static;

/// <summary>
/// A root file system with no C library at all: busybox-static and its applet links, an
/// /etc/passwd and /etc/group of its own (with a user "nobody" in two groups), and corral.
/// Commands run in it with chroot, as PID 1 of a new PID namespace (the tests run as root).
/// </summary>
public static class BareRoot
{
    public const string Group = "root:x:0:\nnogroup:x:65534:\nstaff:x:50:root,nobody\naudio:x:29:\n";

    static readonly Lazy<string> root = new(Make);

    public static string Path => root.Value;

    public static Result Exec(params string[] args) =>
        Run.Exec("unshare", ["--pid", "--fork", "chroot", Path, "/corral", .. args]);

    static string Make()
    {
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("busybox is missing: apt-get install busybox-static (.ci/run installs it)");
        var dir = Directory.CreateTempSubdirectory("corral-bare-root-").FullName;
        // A temporary directory is 0700: as "/" it would lock out every user but root.
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        foreach (var sub in new[] { "bin", "etc", "proc", "tmp", "run" }) Directory.CreateDirectory(System.IO.Path.Combine(dir, sub));
        File.Copy(busybox, System.IO.Path.Combine(dir, "bin", "busybox"));
        var applets = Run.Exec(busybox, "--list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var applet in applets.Where(a => a != "busybox"))
            File.CreateSymbolicLink(System.IO.Path.Combine(dir, "bin", applet), "busybox");
        File.WriteAllText(System.IO.Path.Combine(dir, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(System.IO.Path.Combine(dir, "etc", "group"), Group);
        File.Copy(CorralBinary.Path, System.IO.Path.Combine(dir, "corral"));
        return dir;
    }
}
