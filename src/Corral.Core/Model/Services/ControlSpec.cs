namespace Corral.Core.Model.Services;

/// <summary>
/// The control server of <c>corral run</c>: an HTTP API on a Unix socket (on unless turned off),
/// and optionally on a TCP address, where it always needs a user name and password.
/// </summary>
/// <param name="Enabled">false: no control socket at all (<c>control: {socket: false}</c>).</param>
/// <param name="Socket">The Unix socket's path; null for the default, corral.sock in the run directory.</param>
/// <param name="Tcp">host:port to listen on as well, or null.</param>
/// <param name="IdleStop">How long the HTTP server stays up after its last request before it sleeps again.</param>
public sealed record ControlSpec(
    bool Enabled = true,
    string? Socket = null,
    TcpListen? Tcp = null,
    TimeSpan? IdleStop = null)
{
    public static readonly TimeSpan DefaultIdleStop = TimeSpan.FromMinutes(1);

    public TimeSpan EffectiveIdleStop => IdleStop ?? DefaultIdleStop;
}

/// <summary>A TCP listener with the credentials it demands (HTTP basic authentication).</summary>
/// <param name="PasswordFile">
/// control.tcp.password_file: where Password comes from. Core reads no files, so Password is
/// empty until whoever reads the config has read this file and passed its text to
/// <see cref="Config.Yaml.LoadedConfig.WithPasswordFile"/>.
/// </param>
public sealed record TcpListen(string Host, int Port, string Username, string Password, FileReference? PasswordFile = null)
{
    /// <summary>Never shows the password (a record's ToString would).</summary>
    public override string ToString() => $"{Host}:{Port} (user {Username})";
}

/// <summary>A file a config names (resolved against the config's directory), and where it names it.</summary>
public sealed record FileReference(string Path, SourceLocation Where)
{
    // Equal by path only: a reload compares control blocks, and an edit elsewhere in the file
    // that moves this line changes nothing that matters.
    public bool Equals(FileReference? other) => other is not null && Path == other.Path;

    public override int GetHashCode() => Path.GetHashCode(StringComparison.Ordinal);
}
