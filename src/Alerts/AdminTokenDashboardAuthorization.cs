using Analytics.ServiceDefaults.Admin;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts;

/// <summary>Lets a dashboard request through only with the admin token (the admin branch checks it too; this keeps the dashboard closed if it is ever mounted elsewhere).</summary>
internal sealed class AdminTokenDashboardAuthorization(IOptions<AdminOptions> admin) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => AdminListener.TokenMatches(context.GetHttpContext(), admin.Value.Token);
}
