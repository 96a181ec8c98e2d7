using Corral.Core.Model;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;
using Corral.Os.Files;
using Corral.Os.Probes;
using Corral.Os.Reaping;
using Corral.Os.Signals;
using Corral.Os.Spawning;

namespace Corral.Runtime;

/// <summary>The deadline of one exec probe, in the runner's timer queue.</summary>
public sealed record ProbeTimeout(int ProbePid);

/// <summary>
/// Carries out <see cref="RunProbe"/> without blocking the loop. exec probes are children of
/// Corral like any other: their exits come from the reaper and are recognised here by pid;
/// one that outlives its timeout is killed and counts as failed. tcp and http probes run as
/// tasks and post their result. Probes report; the Supervisor decides.
/// </summary>
public sealed class ProbeRunner(Func<Core.Planning.Plan> plan, string workingDirectory, Action<SupervisorEvent> post, Reaper reaper)
{
    readonly Dictionary<int, RunProbe> running = [];
    readonly HashSet<int> abandoned = [];
    readonly int devNull = Descriptors.OpenRead("/dev/null");
    readonly int devNullWrite = Descriptors.OpenForAppend("/dev/null");

    public void Start(RunProbe request, TimeSpan now, TimerQueue<object> timers)
    {
        if (!plan().TryGetService(request.Service, out var spec) || spec!.Probe(request.Role) is not { } probe) return;
        switch (probe.Kind)
        {
            case ProbeKind.Exec:
                var spawned = Spawner.Spawn(new SpawnRequest(probe.Command)
                {
                    WorkingDirectory = workingDirectory,
                    Grouping = ProcessGrouping.NewGroup,
                    FileDescriptors = [(devNull, 0), (devNullWrite, 1), (devNullWrite, 2)],
                });
                if (!spawned.Succeeded)
                {
                    post(new ProbeResult(request.Service, request.Pid, request.Role, false, $"cannot run '{probe.Command[0]}': {Os.Native.Errno.Describe(spawned.Errno)}"));
                    return;
                }
                reaper.ChildSpawned();
                running[spawned.Pid] = request;
                timers.Arm(new ProbeTimeout(spawned.Pid), now + probe.Timeout);
                break;
            case ProbeKind.Tcp:
                RunAsync(request, () => NetworkProbes.Tcp(probe.Host, probe.Port, probe.Timeout));
                break;
            case ProbeKind.Http:
                RunAsync(request, () => NetworkProbes.Http(probe.Host, probe.Port, probe.Path, probe.Headers, probe.Timeout));
                break;
        }
    }

    /// <summary>A network probe blocks for up to its timeout, on a short-lived thread of its own.</summary>
    void RunAsync(RunProbe request, Func<(bool Success, string? Detail)> probe) =>
        new Thread(() =>
        {
            (bool Success, string? Detail) result;
            try { result = probe(); }
            catch (Exception e) { result = (false, $"the probe could not be carried out: {Os.Logging.Problems.Describe(e)}"); }
            post(new ProbeResult(request.Service, request.Pid, request.Role, result.Success, result.Detail));
        }, 128 * 1024) { IsBackground = true, Name = "probe" }.Start();

    /// <summary>True when pid was an exec probe (its result is posted); false for anything else.</summary>
    public bool OnExited(int pid, ExitStatus status, TimerQueue<object> timers)
    {
        if (abandoned.Remove(pid)) return true;
        if (!running.Remove(pid, out var request)) return false;
        timers.Cancel(new ProbeTimeout(pid));
        var ok = !status.WasSignaled && status.Code == 0;
        post(new ProbeResult(request.Service, request.Pid, request.Role, ok, ok ? null : $"exec probe {status}"));
        return true;
    }

    public void OnTimeout(ProbeTimeout timeout)
    {
        if (!running.Remove(timeout.ProbePid, out var request)) return;
        Kill.Group(timeout.ProbePid, Signals.SIGKILL);
        abandoned.Add(timeout.ProbePid);
        var limit = plan().TryGetService(request.Service, out var spec) && spec!.Probe(request.Role) is { } probe ? Durations.Format(probe.Timeout) : "its timeout";
        post(new ProbeResult(request.Service, request.Pid, request.Role, false, $"exec probe timed out after {limit}"));
    }
}
