namespace Analytics.ServiceDefaults.Admin;

/// <summary>What an admin credential may do; each role includes the ones below it.</summary>
public enum AdminRole
{
    /// <summary>Reads: lists, stats, metrics, dashboards read-only.</summary>
    Viewer = 1,

    /// <summary>Also changes decisions and allowlists.</summary>
    Operator = 2,

    /// <summary>Everything, including dashboard actions (re-running or deleting jobs).</summary>
    Admin = 3,
}
