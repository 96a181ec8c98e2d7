using System.Globalization;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Faults;

/// <summary>Talking to a running `corral run` the way a user would: `corral ctl` on its run directory.</summary>
public static class Corrals
{
    public static Result Ctl(Run run, params string[] args) => CtlIn(Run.RunDirectoryOf(run), args);

    /// <summary>`corral ctl` for the corral whose run directory (CORRAL_RUN_DIR) is given.</summary>
    public static Result CtlIn(string runDirectory, params string[] args) =>
        Run.ExecWith(CorralBinary.Path, new Dictionary<string, string?> { ["CORRAL_RUN_DIR"] = runDirectory }, ["ctl", .. args]);

    /// <summary>The row of `corral ctl status` for one service: state, pid (as Corral sees it), restarts.</summary>
    public static (string State, int? Pid, int Restarts) Status(Run run, string service) => StatusIn(Run.RunDirectoryOf(run), service);

    public static (string State, int? Pid, int Restarts) StatusIn(string runDirectory, string service)
    {
        var r = CtlIn(runDirectory, "status");
        // 3: answered, and some service is not running (as `systemctl status`).
        Assert.True(r.Code is 0 or 3, $"ctl status failed ({r.Code}): {r.Stdout}\n{r.Stderr}");
        var row = r.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length >= 5 && f[0] == service) ?? throw new InvalidOperationException($"no row for {service} in:\n{r.Stdout}");
        return (row[1], row[2] == "-" ? null : int.Parse(row[2], CultureInfo.InvariantCulture), int.Parse(row[4], CultureInfo.InvariantCulture));
    }

    /// <summary>Waits until exactly one live process runs `sleep TOKEN` and returns its pid.</summary>
    public static int WaitForSleeper(string token) =>
        Wait.Until(() => Gauge.Sleeping(token) is [var only] ? only : (int?)null, null, $"the process running sleep {token}");

    /// <summary>Fails with what is left when some `sleep TOKEN` is still alive.</summary>
    public static void AssertGone(params string[] tokens)
    {
        foreach (var token in tokens)
            Assert.True(Gauge.Sleeping(token).Count == 0, $"sleep {token} still alive: pid {string.Join(", ", Gauge.Sleeping(token))}");
    }
}
