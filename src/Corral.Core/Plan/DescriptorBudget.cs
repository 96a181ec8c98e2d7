using Corral.Core.Model.Services;

namespace Corral.Core.Planning;

/// <summary>
/// How many open files Corral needs for a plan, and what to do about its limit: a service holds
/// the read ends of its stdout and stderr pipes, its log files and its readiness channel, and
/// Corral itself needs a few dozen (control server, signal pipe, status file, probes in flight).
/// supervisord's `minfds` raises the limit the same way; the services inherit it.
/// </summary>
public static class DescriptorBudget
{
    /// <summary>Corral's own descriptors beside the services', with room for probes and requests.</summary>
    public const long Base = 64;

    public static long Needed(Plan plan) => Base + plan.StartOrder.Sum(PerService);

    static long PerService(ServiceSpec s) =>
        2 + (s.Logs.Stdout.Kind == LogTargetKind.File ? 1 : 0) + (s.Logs.Stderr.Kind == LogTargetKind.File ? 1 : 0)
        + (s.Ready is { Kind: ReadinessKind.Notify or ReadinessKind.NotifyFd } ? 1 : 0);

    /// <summary>The soft limit to set, or null when the current one is enough (or cannot be raised at all).</summary>
    public static ulong? SoftLimitFor(long needed, ulong soft, ulong hard)
    {
        if ((ulong)needed <= soft || soft >= hard) return null;
        return Math.Min((ulong)needed, hard);
    }

    /// <summary>A warning when even the hard limit is short of what the plan needs, or null.</summary>
    public static string? Shortfall(Plan plan, long needed, ulong hard) =>
        (ulong)needed <= hard ? null
        : $"{plan.StartOrder.Length} services need about {needed} open files, but the limit is {hard} "
          + $"(docker run --ulimit nofile={needed}): services that do not fit will fail to start with \"Too many open files\" and be retried";
}
