using System.Collections.Concurrent;
using System.Diagnostics;

namespace Corral.Tests.Infrastructure;

/// <summary>
/// A process started for a test, with its output captured line by line. Tests wait for
/// observable conditions (a line, an exit) with a deadline, never for a fixed time.
/// </summary>
public sealed class Run : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    readonly Process process;
    readonly ConcurrentQueue<string> stdout = new(), stderr = new();
    readonly TaskCompletionSource outClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource errClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SemaphoreSlim lineArrived = new(0);
    readonly string runDirectory;

    Run(string file, IEnumerable<string> args, IDictionary<string, string?>? env, bool redirectStdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in new[] { "TINI_SUBREAPER", "TINI_VERBOSITY", "TINI_KILL_PROCESS_GROUP", "DUMB_INIT_SETSID", "DUMB_INIT_DEBUG" })
            psi.Environment.Remove(key);
        // Each corral gets its own run directory (status file, notification sockets), so tests
        // running side by side never share one.
        psi.Environment["CORRAL_RUN_DIR"] = Directory.CreateTempSubdirectory("corral-rundir-").FullName;
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        runDirectory = psi.Environment["CORRAL_RUN_DIR"] ?? "";
        process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Collect(stdout, outClosed, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(stderr, errClosed, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static Run Start(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null, bool redirectStdin = false) =>
        new(file, args, env, redirectStdin);

    /// <summary>Runs corral (or a personality link) to completion.</summary>
    public static Result Exec(string file, params string[] args) => ExecWith(file, null, args);

    public static Result ExecWith(string file, IDictionary<string, string?>? env, params string[] args)
    {
        using var run = Start(file, args, env);
        var code = run.WaitForExit();
        return new Result(code, run.Stdout, run.Stderr);
    }

    /// <summary>Runs a command as PID 1 of a new PID namespace (and a private /proc).</summary>
    public static Result ExecAsPid1(string file, params string[] args) =>
        Exec("unshare", ["--pid", "--fork", "--mount-proc", file, .. args]);

    public int Pid => process.Id;

    /// <summary>The CORRAL_RUN_DIR this process was given (status file, sockets).</summary>
    public static string RunDirectoryOf(Run run) => run.runDirectory;

    public StreamWriter Stdin => process.StandardInput;

    public string Stdout => string.Join("\n", stdout);

    public string Stderr => string.Join("\n", stderr);

    public IReadOnlyList<string> StdoutLines => [.. stdout];

    void Collect(ConcurrentQueue<string> into, TaskCompletionSource closed, string? line)
    {
        if (line is null) { closed.TrySetResult(); lineArrived.Release(); return; }
        into.Enqueue(line);
        lineArrived.Release();
    }

    /// <summary>Waits until a stdout line satisfies the predicate; fails the test at the deadline.</summary>
    public string WaitForLine(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var hit = stdout.FirstOrDefault(predicate);
            if (hit is not null) return hit;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (process.HasExited && outClosed.Task.IsCompleted && stdout.FirstOrDefault(predicate) is null))
                throw new TimeoutException($"no matching line; stdout:\n{Stdout}\nstderr:\n{Stderr}");
            lineArrived.Wait(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public string WaitForLine(string exact, TimeSpan? timeout = null) => WaitForLine(l => l == exact, timeout);

    /// <summary>Waits for the exit and for all output; returns the exit code.</summary>
    public int WaitForExit(TimeSpan? timeout = null)
    {
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"process did not exit; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        process.WaitForExit();
        Task.WaitAll([outClosed.Task, errClosed.Task], TimeSpan.FromSeconds(10));
        return process.ExitCode;
    }

    public bool HasExited => process.HasExited;

    public void Signal(int signal) => Native.Kill(process.Id, signal);

    public void Dispose()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.Dispose();
    }
}

public sealed record Result(int Code, string Stdout, string Stderr);
