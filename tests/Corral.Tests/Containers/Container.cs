using System.Text.Json.Nodes;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Containers;

/// <summary>
/// A real OCI container run by runc (../shared/containers.md), with Corral as its PID 1. The root
/// file system holds busybox-static and Corral and nothing else: no C library, no loader. It is
/// read-only, as `runc spec` makes it; each container gets its own bind-mounted config directory
/// at /etc/corral and, when asked, a tmpfs on /run and /tmp.
/// </summary>
public sealed class Container : IDisposable
{
    static readonly Lazy<string> root = new(BuildRoot);

    public string Id { get; } = "corral-" + Guid.NewGuid().ToString("N")[..10];
    public Run Run { get; }
    readonly string bundle;

    /// <summary>Settings of one container; <see cref="Files"/> land in /etc/corral.</summary>
    public sealed record Options(string[] Args)
    {
        public Dictionary<string, string> Files { get; init; } = [];
        public bool WritableRun { get; init; } = true;
        public bool WritableTmp { get; init; }
        public (uint Uid, uint Gid) User { get; init; } = (0, 0);
        public string[] Env { get; init; } = [];
        /// <summary>Host directories bound (read-only) at container paths that exist in the root (see <see cref="BuildRoot"/>).</summary>
        public Dictionary<string, string> Binds { get; init; } = [];
        /// <summary>The same, writable.</summary>
        public Dictionary<string, string> WritableBinds { get; init; } = [];
    }

    public Container(Options options)
    {
        bundle = Directory.CreateTempSubdirectory("corral-bundle-").FullName;
        var etc = Path.Combine(bundle, "etc-corral");
        Directory.CreateDirectory(etc);
        // Temporary directories are made 0700: a container user other than root must get in.
        File.SetUnixFileMode(bundle, Traversable);
        File.SetUnixFileMode(etc, Traversable);
        foreach (var (name, text) in options.Files) File.WriteAllText(Path.Combine(etc, name), text);
        File.WriteAllText(Path.Combine(bundle, "config.json"), Config(options, etc).ToJsonString());
        Run = Run.Start("runc", ["run", "--bundle", bundle, Id]);
    }

    public static Container Start(params string[] args) => new(new Options(args));

    /// <summary>`runc exec` in the container (it waits, and kills what it left behind).</summary>
    public Result Exec(params string[] args) => Infrastructure.Run.Exec("runc", ["exec", Id, .. args]);

    public Result ExecAs(string user, string[] env, params string[] args) =>
        Infrastructure.Run.Exec("runc", ["exec", "--user", user, .. env.SelectMany(e => new[] { "--env", e }), Id, .. args]);

    /// <summary>`runc exec -d`: for commands that leave processes behind (orphans).</summary>
    public Result ExecDetached(params string[] args) => Infrastructure.Run.Exec("runc", ["exec", "-d", Id, .. args]);

    /// <summary>`runc kill ID SIGNAL`: a signal to PID 1 only, as `docker stop` sends.</summary>
    public void Kill(string signal) => Assert.Equal(0, Infrastructure.Run.Exec("runc", ["kill", Id, signal]).Code);

    /// <summary>Waits until runc ends (the container's PID 1 exited) and returns its exit code.</summary>
    public int WaitForExit(TimeSpan? timeout = null) => Run.WaitForExit(timeout);

    public void Dispose()
    {
        Run.Dispose();
        Infrastructure.Run.Exec("runc", ["delete", "-f", Id]);
        try { Directory.Delete(bundle, recursive: true); } catch (IOException) { }
    }

    JsonObject Config(Options o, string etc)
    {
        var spec = Infrastructure.Run.Exec("runc", ["spec", "--bundle", bundle]);
        Assert.Equal(0, spec.Code);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "config.json")))!.AsObject();
        config["root"]!["path"] = root.Value;
        var process = config["process"]!.AsObject();
        process["terminal"] = false;
        // Nothing on these machines may set rlimits (containers.md).
        process.Remove("rlimits");
        process["args"] = new JsonArray([.. o.Args.Select(a => (JsonNode)a)]);
        process["user"] = new JsonObject { ["uid"] = o.User.Uid, ["gid"] = o.User.Gid };
        process["cwd"] = "/";
        // Docker's default capabilities (runc spec's are fewer: no SETUID, SETGID, CHOWN, ...),
        // so that `corral exec --user` can drop privileges as in a real container.
        string[] docker = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"];
        var capabilities = new JsonObject();
        foreach (var set in new[] { "bounding", "effective", "permitted" })
            capabilities[set] = new JsonArray([.. (o.User.Uid == 0 ? docker : ["CAP_KILL", "CAP_AUDIT_WRITE", "CAP_NET_BIND_SERVICE"]).Select(c => (JsonNode)c)]);
        process["capabilities"] = capabilities;
        var env = process["env"]!.AsArray();
        foreach (var e in o.Env) env.Add(e);
        var mounts = config["mounts"]!.AsArray();
        mounts.Add(new JsonObject
        {
            ["destination"] = "/etc/corral", ["type"] = "bind", ["source"] = etc,
            ["options"] = new JsonArray("rbind", "ro"),
        });
        foreach (var (at, source, access) in o.Binds.Select(b => (b.Key, b.Value, "ro")).Concat(o.WritableBinds.Select(b => (b.Key, b.Value, "rw"))))
            mounts.Add(new JsonObject
            {
                ["destination"] = at, ["type"] = "bind", ["source"] = source,
                ["options"] = new JsonArray("rbind", access),
            });
        if (o.WritableRun) mounts.Add(Tmpfs("/run", "755"));
        if (o.WritableTmp) mounts.Add(Tmpfs("/tmp", "1777"));
        return config;
    }

    const UnixFileMode Traversable = (UnixFileMode)0x1ED; // 0755

    static JsonObject Tmpfs(string at, string mode) => new()
    {
        ["destination"] = at, ["type"] = "tmpfs", ["source"] = "tmpfs",
        ["options"] = new JsonArray("nosuid", "nodev", $"mode={mode}", "size=16m"),
    };

    /// <summary>
    /// The shared root: busybox-static and its applets, Corral with its tini and dumb-init
    /// names, /etc/passwd and /etc/group with root, nobody and an app user with a second group.
    /// Built once per test run; containers never write to it (it is mounted read-only).
    /// </summary>
    static string BuildRoot()
    {
        var dir = Directory.CreateTempSubdirectory("corral-rootfs-").FullName;
        File.SetUnixFileMode(dir, Traversable);
        // etc/s6-overlay and the legacy s6 directories: where a test binds an s6-overlay tree (var/trace: a writable record).
        foreach (var d in new[] { "bin", "etc/corral", "proc", "sys", "dev", "tmp", "run", "usr/bin", "home/app",
                     "etc/s6-overlay", "etc/cont-init.d", "etc/services.d", "etc/cont-finish.d", "var/trace" })
            Directory.CreateDirectory(Path.Combine(dir, d));
        // runc gives a tmpfs the mode of the directory it covers: /tmp must be 1777 here.
        File.SetUnixFileMode(Path.Combine(dir, "tmp"), (UnixFileMode)0x3FF /* 1777 */);
        File.Copy("/bin/busybox", Path.Combine(dir, "bin", "busybox"));
        var applets = Infrastructure.Run.Exec("/bin/busybox", "--list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var applet in applets)
        {
            var link = Path.Combine(dir, "bin", applet);
            if (!File.Exists(link)) File.CreateSymbolicLink(link, "busybox");
        }
        File.Copy(CorralBinary.Path, Path.Combine(dir, "usr", "bin", "corral"));
        File.SetUnixFileMode(Path.Combine(dir, "usr", "bin", "corral"), (UnixFileMode)0x1ED /* 0755 */);
        File.CreateSymbolicLink(Path.Combine(dir, "usr", "bin", "tini"), "corral");
        File.CreateSymbolicLink(Path.Combine(dir, "usr", "bin", "dumb-init"), "corral");
        // s6-overlay's entry point and its helper commands in /command, as an image that moves to Corral has them.
        File.CreateSymbolicLink(Path.Combine(dir, "init"), "usr/bin/corral");
        Directory.CreateDirectory(Path.Combine(dir, "command"));
        foreach (var helper in new[] { "with-contenv", "s6-setuidgid", "s6-envuidgid", "fdmove", "s6-notifyoncheck", "s6-svc", "s6-svwait", "s6-svstat", "s6-svscanctl", "s6-rc" })
            File.CreateSymbolicLink(Path.Combine(dir, "command", helper), "../usr/bin/corral");
        File.WriteAllText(Path.Combine(dir, "etc", "passwd"), """
            root:x:0:0:root:/root:/bin/sh
            app:x:1000:1000:an app:/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false

            """.Replace("\r", ""));
        File.WriteAllText(Path.Combine(dir, "etc", "group"), """
            root:x:0:
            app:x:1000:
            audio:x:29:app,someone
            video:x:44:someone
            nogroup:x:65534:

            """.Replace("\r", ""));
        return dir;
    }
}
