using Analytics.ServiceDefaults.Admin;
using Hangfire.Dashboard;

namespace Analytics.Alerts;

/// <summary>Lets a dashboard request through only with an admin credential the admin gate accepted (so the dashboard stays closed if mounted elsewhere).</summary>
internal sealed class AdminTokenDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => AdminListener.HasRole(context.GetHttpContext(), AdminRole.Viewer);
}
