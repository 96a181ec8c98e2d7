namespace Corral.Core.Model;

/// <summary>Where a spawned child lives relative to Corral's own process group and session.</summary>
public enum ProcessGrouping
{
    /// <summary>Stays in Corral's process group (dumb-init --single-child).</summary>
    Inherit,
    /// <summary>Leads a new process group (tini; Corral's default).</summary>
    NewGroup,
    /// <summary>Leads a new session, and so a new group (dumb-init's default).</summary>
    NewSession,
}
