namespace Analytics.Search.Report;

/// <summary>Why a report source failed, so a command line can map it to its exit codes.</summary>
public enum ReportSourceFailure
{
    /// <summary>The source answered with an error (a 400 or a 5xx).</summary>
    Refused,

    /// <summary>The credentials were refused (401 or 403).</summary>
    Unauthorized,

    /// <summary>The data stream does not exist (404): wrong namespace, or nothing indexed yet.</summary>
    NotFound,

    /// <summary>Nothing answered (connection refused, timeout).</summary>
    Unreachable,
}
