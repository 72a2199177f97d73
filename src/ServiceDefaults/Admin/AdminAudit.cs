using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>The audit log of admin changes: what changed and which credential changed it (never a token).</summary>
internal static partial class AdminAudit
{
    public const string Category = "Analytics.Admin.Audit";

    [LoggerMessage(EventId = 9501, Level = LogLevel.Information, Message = "Admin change {Change} {Target} by credential {Credential} ({Role})")]
    public static partial void Change(ILogger logger, string change, string target, string credential, string role);
}
