namespace Corral.Tests.Containers;

/// <summary>
/// An s6-overlay v3 tree as public images lay it out, written to a host directory that a
/// <see cref="Container"/> binds at /etc/s6-overlay, /etc/cont-init.d, /etc/services.d and
/// /etc/cont-finish.d: a cont-init.d script (through with-contenv), a oneshot, a longrun with
/// notification-fd and a finish script, a longrun that depends on it, the user bundle, a legacy
/// services.d longrun and a cont-finish.d script. Every script says what it does on stdout and
/// appends the same line to /var/trace/order (<see cref="Order"/>): appends to one file keep the
/// order things happened in, where lines relayed from different pipes need not.
/// </summary>
public sealed class S6Image : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("corral-s6-image-").FullName;
    readonly string trace = Directory.CreateTempSubdirectory("corral-s6-trace-").FullName;

    /// <summary>What the scripts did, in order.</summary>
    public IReadOnlyList<string> Order => File.Exists(Path.Combine(trace, "order")) ? File.ReadAllLines(Path.Combine(trace, "order")) : [];

    /// <summary>The writable binds: the trace directory.</summary>
    public Dictionary<string, string> WritableBinds => new() { ["/var/trace"] = trace };

    static string Say(string line) => $"echo \"{line}\"; echo \"{line}\" >> /var/trace/order\n";

    public S6Image()
    {
        File.SetUnixFileMode(dir, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(trace, (UnixFileMode)0x1FF);
        Script("cont-init.d/10-greet", "#!/command/with-contenv sh\n" + Say("cont-init: hello $GREETING"));
        Text("s6-overlay/s6-rc.d/init-setup/type", "oneshot\n");
        Text("s6-overlay/s6-rc.d/init-setup/up", "/etc/s6-overlay/scripts/init-setup\n");
        Text("s6-overlay/s6-rc.d/init-setup/dependencies.d/base", "");
        Script("s6-overlay/scripts/init-setup", "#!/bin/sh\n" + Say("init-setup: done"));
        Longrun("db", "3", "init-setup");
        Longrun("web", null, "db");
        Text("s6-overlay/s6-rc.d/user/type", "bundle\n");
        foreach (var member in new[] { "init-setup", "db", "web" }) Text($"s6-overlay/s6-rc.d/user/contents.d/{member}", "");
        Script("services.d/legacy/run", Serve("legacy", null));
        Script("cont-finish.d/90-bye", "#!/bin/sh\n" + Say("cont-finish: bye"));
    }

    /// <summary>The binds for <see cref="Container.Options.Binds"/>.</summary>
    public Dictionary<string, string> Binds => new[] { "s6-overlay", "cont-init.d", "services.d", "cont-finish.d" }
        .ToDictionary(d => $"/etc/{d}", d => Path.Combine(dir, d));

    void Longrun(string name, string? notificationFd, string dependsOn)
    {
        Text($"s6-overlay/s6-rc.d/{name}/type", "longrun\n");
        Script($"s6-overlay/s6-rc.d/{name}/run", Serve(name, notificationFd));
        Script($"s6-overlay/s6-rc.d/{name}/finish", "#!/bin/sh\n" + Say($"{name}: finish $1 $2"));
        Text($"s6-overlay/s6-rc.d/{name}/dependencies.d/{dependsOn}", "");
        if (notificationFd is not null) Text($"s6-overlay/s6-rc.d/{name}/notification-fd", notificationFd + "\n");
    }

    /// <summary>A long-running service that says when it is up (and ready, on the notification fd) and when TERM stops it.</summary>
    static string Serve(string name, string? notificationFd) =>
        "#!/bin/sh\n" +
        $"trap '{Say($"{name}: stopping").TrimEnd('\n').Replace("'", "")}; exit 0' TERM\n" +
        Say($"{name}: up") +
        (notificationFd is null ? "" : $"echo >&{notificationFd}; exec {notificationFd}>&-\n") +
        "while :; do sleep 1000 & wait; done\n";

    void Text(string path, string text)
    {
        var full = Path.Combine(dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        foreach (var d in Ancestors(Path.GetDirectoryName(full)!)) File.SetUnixFileMode(d, (UnixFileMode)0x1ED);
        File.WriteAllText(full, text);
    }

    void Script(string path, string text)
    {
        Text(path, text);
        File.SetUnixFileMode(Path.Combine(dir, path), (UnixFileMode)0x1ED);
    }

    IEnumerable<string> Ancestors(string d)
    {
        for (; d.Length > dir.Length; d = Path.GetDirectoryName(d)!) yield return d;
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        try { Directory.Delete(trace, recursive: true); } catch (IOException) { }
    }
}
