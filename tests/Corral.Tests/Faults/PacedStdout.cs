using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Faults;

/// <summary>
/// A `corral run` whose stdout is a pipe the test reads at a pace it sets: not at all (the pipe
/// fills and stays full), a little at a time with pauses, or as fast as it can. Every line read
/// goes to <see cref="OnLine"/> (on the reader's thread); stderr is collected as <see cref="Run"/> does.
/// </summary>
public sealed class PacedStdout : IDisposable
{
    readonly Process process;
    readonly ConcurrentQueue<string> stderr = new();
    readonly TaskCompletionSource errClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Thread reader;
    readonly Action<string> onLine;
    readonly ManualResetEventSlim paceChanged = new(false);
    long bytesRead;
    volatile int pauseMs = -1;
    volatile int chunk = 4096;
    volatile bool ended;

    /// <summary>Starts corral with these arguments; stdout is not read until <see cref="Pace"/> says so.</summary>
    public PacedStdout(IEnumerable<string> args, Action<string> onLine)
    {
        this.onLine = onLine;
        var psi = new ProcessStartInfo(CorralBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        RunDirectory = Directory.CreateTempSubdirectory("corral-rundir-").FullName;
        psi.Environment["CORRAL_RUN_DIR"] = RunDirectory;
        process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) errClosed.TrySetResult(); else stderr.Enqueue(e.Data);
        };
        process.Start();
        process.BeginErrorReadLine();
        reader = new Thread(Read) { IsBackground = true, Name = "paced-stdout" };
        reader.Start();
    }

    public int Pid => process.Id;

    public string RunDirectory { get; }

    public string Stderr => string.Join("\n", stderr);

    public IEnumerable<string> StderrLines => stderr;

    public long BytesRead => Interlocked.Read(ref bytesRead);

    /// <summary>Stdout reached its end (corral and every holder of its stdout are gone).</summary>
    public bool Ended => ended;

    /// <summary>Stops reading stdout (the pipe fills) with a negative pause; else reads up to chunkBytes, then pauses pauseMilliseconds (0: no pause).</summary>
    public void Pace(int pauseMilliseconds, int chunkBytes = 4096)
    {
        chunk = chunkBytes;
        pauseMs = pauseMilliseconds;
        paceChanged.Set();
    }

    void Read()
    {
        var stream = process.StandardOutput.BaseStream;
        var buffer = new byte[1 << 16];
        var line = new List<byte>(256);
        while (true)
        {
            var pause = pauseMs;
            if (pause < 0)
            {
                paceChanged.Wait();
                paceChanged.Reset();
                continue;
            }
            var n = stream.Read(buffer, 0, Math.Min(chunk, buffer.Length));
            if (n == 0) break;
            Interlocked.Add(ref bytesRead, n);
            foreach (var b in buffer.AsSpan(0, n))
            {
                if (b != (byte)'\n') { line.Add(b); continue; }
                onLine(Encoding.UTF8.GetString([.. line]));
                line.Clear();
            }
            // Pacing the reader, not waiting for anything: this is the slow reader itself.
            if (pause > 0) Thread.Sleep(pause);
        }
        if (line.Count > 0) onLine(Encoding.UTF8.GetString([.. line]));
        ended = true;
    }

    public void Signal(int signal) => Native.Kill(process.Id, signal);

    /// <summary>Reads stdout to its end and waits for the exit; returns the exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Pace(0, 1 << 16);
        if (!process.WaitForExit(timeout) || !reader.Join(timeout))
            throw new TimeoutException($"corral did not exit; stderr:\n{Stderr}");
        process.WaitForExit();
        errClosed.Task.Wait(TimeSpan.FromSeconds(10));
        return process.ExitCode;
    }

    /// <summary>Waits for corral's exit without reading stdout (what is in the pipe stays there); returns the exit code.</summary>
    public int WaitForExitUnread(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
            throw new TimeoutException($"corral did not exit; stderr:\n{Stderr}");
        errClosed.Task.Wait(TimeSpan.FromSeconds(10));
        return process.ExitCode;
    }

    /// <summary>Reads what is left on stdout, to its end.</summary>
    public void ReadToEnd(TimeSpan timeout)
    {
        Pace(0, 1 << 16);
        if (!reader.Join(timeout)) throw new TimeoutException("stdout did not end");
    }

    public void Dispose()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        Pace(0, 1 << 16);
        process.Dispose();
    }
}
