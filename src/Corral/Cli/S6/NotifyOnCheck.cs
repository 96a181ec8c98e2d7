using System.Globalization;
using Corral.Core.Compat.S6;
using Corral.Core.Model;
using Corral.Os.Files;
using Corral.Os.Logging;
using Corral.Os.Reaping;
using Corral.Os.Spawning;

namespace Corral.Cli.S6;

/// <summary>
/// <c>s6-notifyoncheck [options] PROG…</c>: PROG becomes the service (this very process, so its
/// pid is the one Corral supervises), while a checker process (Corral under the name
/// s6-notifyoncheck-checker, detached as with -d: started through a middle process that exits at
/// once, so PROG gets no child it does not know) runs the check until it succeeds and then writes
/// the newline on the notification descriptor. PROG itself does not keep that descriptor.
/// </summary>
public static class NotifyOnCheck
{
    const string Name = "s6-notifyoncheck";
    public const string CheckerName = "s6-notifyoncheck-checker";

    public static int Run(string[] args)
    {
        var (request, error) = NotifyOnCheckRequest.Parse(args);
        if (request is null) return S6Tools.Usage(Name, error!, NotifyOnCheckRequest.Usage);
        var fd = request.Fd;
        if (fd is null)
        {
            try
            {
                if (File.Exists("notification-fd") && int.TryParse(File.ReadAllText("notification-fd").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) fd = n;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            if (fd is null) return S6Tools.Fatal(Name, "unable to read notification-fd (give -3 fd)", S6Tools.WrongUsage);
        }
        List<string> check = request.CheckCommand is { } c ? ["/bin/sh", "-c", c] : ["./data/check"];
        string Ms(TimeSpan? t) => ((long)(t?.TotalMilliseconds ?? 0)).ToString(CultureInfo.InvariantCulture);
        List<string> argv = [CheckerName, "detach", fd.Value.ToString(CultureInfo.InvariantCulture), Ms(request.Initial), Ms(request.Interval),
            request.Tries.ToString(CultureInfo.InvariantCulture), Ms(request.Timeout), Ms(request.CheckTimeout), "--", .. check];
        var middle = Spawner.Spawn(new SpawnRequest(argv) { Program = Environment.ProcessPath, SearchPath = false, Grouping = ProcessGrouping.Inherit });
        if (!middle.Succeeded) return S6Tools.Fatal(Name, $"unable to start the checker: {Os.Native.Errno.Describe(middle.Errno)}");
        ChildWait.For(middle.Pid);
        Descriptors.Close(fd.Value);
        return S6Tools.Exec(Name, S6Tools.Command(request.Command));
    }

    /// <summary>The checker: <c>detach|check FD INITIAL INTERVAL TRIES TIMEOUT CHECKTIMEOUT -- CHECK…</c> (ms; 0: none).</summary>
    public static int Checker(string[] args)
    {
        if (args.Length < 9 || args[7] != "--") return S6Tools.WrongUsage;
        if (args[0] == "detach")
        {
            // The middle process: start the real checker and go, so it is nobody's unknown child.
            var real = Spawner.Spawn(new SpawnRequest([CheckerName, "check", .. args[1..]]) { Program = Environment.ProcessPath, SearchPath = false, Grouping = ProcessGrouping.Inherit });
            return real.Succeeded ? 0 : S6Tools.SystemFailure;
        }
        var n = args[1..7].Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var (fd, initial, interval, tries, timeout, checkTimeout) = ((int)n[0], n[1], n[2], n[3], n[4], n[5]);
        var check = args[8..];
        var deadline = timeout > 0 ? Os.MonotonicClock.System.Now + TimeSpan.FromMilliseconds(timeout) : TimeSpan.MaxValue;
        Thread.Sleep(TimeSpan.FromMilliseconds(initial));
        for (long attempt = 1; tries == 0 || attempt <= tries; attempt++)
        {
            if (Os.MonotonicClock.System.Now > deadline) break;
            if (RunCheck(check, checkTimeout))
            {
                Descriptors.WriteAll(fd, "\n"u8, out _);
                return 0;
            }
            Thread.Sleep(TimeSpan.FromMilliseconds(interval));
        }
        StdIo.Err($"{Name}: fatal: the service did not pass its check\n");
        return 1;
    }

    static bool RunCheck(string[] check, long timeoutMs)
    {
        var spawned = Spawner.Spawn(new SpawnRequest(check) { Grouping = ProcessGrouping.Inherit });
        if (!spawned.Succeeded) return false;
        using var limit = timeoutMs > 0 ? new Timer(_ => Os.Signals.Kill.Process(spawned.Pid, Signals.SIGKILL), null, timeoutMs, Timeout.Infinite) : null;
        return ChildWait.For(spawned.Pid) is { WasSignaled: false, Code: 0 };
    }
}
