using System.Text;
using Corral.Tests.Infrastructure;
using Corral.Tests.Supervisor;

namespace Corral.Tests.Faults;

/// <summary>
/// Many services and the open-file limit: Corral raises its soft limit to what the services need
/// (as supervisord's minfds does), and where the hard limit is short it says so at once; the
/// services that do not fit fail to start with a clear error and are retried, and Corral stays up
/// and keeps descriptors for its own work (control requests).
/// </summary>
public class DescriptorLimitTests
{
    const int Services = 100;

    static (ConfigDir Dir, string Token) ManySleepers()
    {
        var token = Gauge.Token();
        var yaml = new StringBuilder("services:\n");
        for (var i = 0; i < Services; i++) yaml.Append($"  s{i:D3}: {{command: sleep {token}}}\n");
        return (new ConfigDir(yaml.ToString()), token);
    }

    static Run Start(ConfigDir dir, string nofile) =>
        Run.Start("prlimit", [$"--nofile={nofile}", CorralBinary.Path, "run", "-c", dir.Config]);

    static ulong SoftLimit(int pid) => ulong.Parse(File.ReadLines($"/proc/{pid}/limits")
        .First(l => l.StartsWith("Max open files", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until Corral's log (stderr) holds the text.</summary>
    static void Said(Run run, string text) =>
        Wait.Until(() => run.Stderr.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(60), $"corral to say: {text}");

    [Fact]
    public void A_soft_limit_too_low_for_the_services_is_raised_and_every_service_runs()
    {
        var (dir, token) = ManySleepers();
        using var run = Start(dir, "100:4096");
        // 64 of Corral's own and two pipes per service.
        Said(run, "raised the open-file limit from 100 to 264 for 100 services");
        Wait.Until(() => Gauge.Sleeping(token).Count == Services, TimeSpan.FromSeconds(60), "every service running");
        Assert.Equal(264UL, SoftLimit(run.Pid));
        Assert.DoesNotContain("Too many open files", run.Stdout + run.Stderr);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Corrals.AssertGone(token);
    }

    [Fact]
    public void A_hard_limit_too_low_is_said_at_start_and_the_services_that_do_not_fit_fail_clearly_while_corral_stays_up()
    {
        var (dir, token) = ManySleepers();
        using var run = Start(dir, "150:150");
        Said(run, "100 services need about 264 open files, but the limit is 150 (docker run --ulimit nofile=264)");
        // Corral keeps 32 descriptors for itself: the services that would take them do not start.
        Wait.Until(() => System.Text.RegularExpressions.Regex.IsMatch(run.Stderr,
            @"s\d+: cannot start: too many open files \(at most \d+ left under the limit of 150; Corral keeps 32 for itself\)"),
            TimeSpan.FromSeconds(60), "a service refused for want of descriptors");
        // Some run, some do not fit; Corral answers and shuts down cleanly.
        Wait.Until(() => Gauge.Sleeping(token).Count > 10, TimeSpan.FromSeconds(60), "the services that fit running");
        Assert.True(Gauge.Sleeping(token).Count < Services);
        // The control server still has descriptors: it answers.
        var status = Corrals.Ctl(run, "status");
        Assert.True(status.Code is 0 or 3, $"ctl status: {status}");
        Assert.Contains("exited with code 126", status.Stdout);
        run.Signal(Sig.TERM);
        Assert.Equal(0, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Corrals.AssertGone(token);
    }
}
