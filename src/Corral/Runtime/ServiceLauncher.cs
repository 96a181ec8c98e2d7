using Corral.Core.Config;
using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Os.Logging;
using Corral.Os.Native;
using Corral.Os.Spawning;

namespace Corral.Runtime;

/// <summary>
/// Turns a service's spec into a spawn: argv (through <c>/bin/sh -c</c> for shell commands, and
/// through <c>corral exec</c> when identity, umask or limits must be set), environment, working
/// directory, and its stdout/stderr wired to the log pump, a file, or /dev/null. stdin is
/// /dev/null: services do not read Corral's terminal.
/// </summary>
public sealed class ServiceLauncher(string configDirectory, LogPump pump, LogStyle style)
{
    readonly int devNull = Pipes.OpenRead("/dev/null");
    readonly int devNullWrite = Pipes.OpenForAppend("/dev/null");

    /// <summary>Spawns the service; on failure, Error says why in words.</summary>
    public (SpawnResult Result, string? Error) Launch(ServiceSpec spec)
    {
        var env = BuildEnvironment(spec, out var envError);
        if (envError is not null) return (new SpawnResult(0, Errno.ENOENT), envError);

        var toClose = new List<int>();
        var (outFd, outPipe, outError) = OpenStream(spec.Logs.Stdout, toClose);
        var (errFd, errPipe, errError) = OpenStream(spec.Logs.Stderr, toClose);
        if ((outError ?? errError) is { } streamError)
        {
            foreach (var fd in toClose) Pipes.Close(fd);
            Pipes.Close(outPipe);
            Pipes.Close(errPipe);
            return (new SpawnResult(0, Errno.EIO), streamError);
        }

        var result = Spawner.Spawn(new SpawnRequest(Argv(spec))
        {
            Environment = env,
            WorkingDirectory = spec.WorkingDir is { } wd ? Path.Combine(configDirectory, wd) : null,
            Grouping = ProcessGrouping.NewGroup,
            FileDescriptors = [(devNull, 0), (outFd, 1), (errFd, 2)],
        });
        foreach (var fd in toClose) Pipes.Close(fd);
        if (!result.Succeeded)
        {
            Pipes.Close(outPipe);
            Pipes.Close(errPipe);
            return (result, $"cannot start '{Argv(spec)[0]}': {Errno.Describe(result.Errno)}");
        }
        if (outPipe >= 0) pump.Add(outPipe, style.Source(spec, "stdout", Unistd.STDOUT_FILENO));
        if (errPipe >= 0) pump.Add(errPipe, style.Source(spec, "stderr", Unistd.STDERR_FILENO));
        return (result, null);
    }

    /// <summary>(the child's fd, Corral's read end or -1, error). Child-side fds are added to toClose.</summary>
    (int ChildFd, int PipeRead, string? Error) OpenStream(LogTarget target, List<int> toClose)
    {
        switch (target.Kind)
        {
            case LogTargetKind.Discard:
                return (devNullWrite, -1, null);
            case LogTargetKind.File:
                var path = Path.Combine(configDirectory, target.Path!);
                var fd = Pipes.OpenForAppend(path);
                if (fd < 0) return (-1, -1, $"cannot open log file '{path}': {Errno.Describe(-fd)}");
                toClose.Add(fd);
                return (fd, -1, null);
            default:
                var (read, write, errno) = Pipes.Create();
                if (errno != 0) return (-1, -1, $"cannot create a pipe: {Errno.Describe(errno)}");
                toClose.Add(write);
                return (write, read, null);
        }
    }

    /// <summary>The command, through the shell and through <c>corral exec</c> as needed.</summary>
    public static IReadOnlyList<string> Argv(ServiceSpec spec)
    {
        IReadOnlyList<string> argv = spec.Shell ? ["/bin/sh", "-c", spec.Command[0]] : spec.Command;
        if (spec.User is null && spec.Group is null && spec.Umask is null && spec.Limits.IsEmpty) return argv;
        var chain = new List<string> { Environment.ProcessPath ?? "/proc/self/exe", "exec" };
        if (spec.User is not null) chain.AddRange(["--user", spec.User]);
        if (spec.Group is not null) chain.AddRange(["--group", spec.Group]);
        if (spec.Umask is { } mask) chain.AddRange(["--umask", Convert.ToString(mask, 8)]);
        foreach (var l in spec.Limits) chain.AddRange(["--rlimit", $"{l.Resource}={Limit(l.Soft)}:{Limit(l.Hard)}"]);
        chain.Add("--");
        chain.AddRange(argv);
        return chain;
    }

    static string Limit(ulong v) => v == ResourceLimit.Unlimited ? "unlimited" : v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Corral's environment (unless inherit_env is false), then env files, then environment.</summary>
    List<string>? BuildEnvironment(ServiceSpec spec, out string? error)
    {
        error = null;
        if (spec.InheritEnv && spec.Environment.IsEmpty && spec.EnvFiles.IsEmpty) return null;
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string key, string value)
        {
            if (!values.ContainsKey(key)) order.Add(key);
            values[key] = value;
        }
        if (spec.InheritEnv)
            foreach (var entry in Environ.Snapshot())
            {
                var eq = entry.IndexOf('=');
                if (eq > 0) Set(entry[..eq], entry[(eq + 1)..]);
            }
        foreach (var file in spec.EnvFiles)
        {
            var path = Path.Combine(configDirectory, file);
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"cannot read env_file '{path}': {e.Message}";
                return null;
            }
            var (pairs, diagnostics) = Dotenv.Parse(text, path);
            if (diagnostics.FirstOrDefault(d => d.Severity == Severity.Error) is { } bad)
            {
                error = bad.ToString();
                return null;
            }
            foreach (var (k, v) in pairs) Set(k, v);
        }
        foreach (var (k, v) in spec.Environment) Set(k, v);
        return [.. order.Select(k => $"{k}={values[k]}")];
    }
}
