using Analytics.Alerts.Jobs;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Stats;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts;

/// <summary>
/// On the admin listener, behind the admin token: <c>GET /alerts</c> (recent alerts),
/// <c>GET /alerts/stats</c> (outcomes per channel) and the delivery jobs' Hangfire dashboard at
/// <c>/alerts/hangfire</c>.
/// </summary>
internal sealed class AlertsAdminEndpoints(RecentAlerts recent, AlertStats stats, AlertJobStorage storage) : IAdminEndpoints
{
    public const string DashboardPath = "/alerts/hangfire";

    public void ConfigureBranch(IApplicationBuilder branch) =>
        branch.Map(DashboardPath, dashboard => dashboard.UseMiddleware<AspNetCoreDashboardMiddleware>(
            storage.Storage,
            new DashboardOptions
            {
                Authorization = [new AdminTokenDashboardAuthorization()],
                // Viewers and operators see the deliveries; only admins retry or delete jobs.
                IsReadOnlyFunc = ctx => !AdminListener.HasRole(ctx.GetHttpContext(), AdminRole.Admin),
                AppPath = null,
                DashboardTitle = "Alert deliveries",
                DisplayStorageConnectionString = false,
            },
            DashboardRoutes.Routes));

    public void MapEndpoints(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/alerts", () => TypedResults.Json(recent.Snapshot(), MessagesJsonContext.Default.ListAlert));
        admin.MapGet("/alerts/stats", () => TypedResults.Json(stats.Snapshot(storage.Name), AlertsJsonContext.Default.AlertStatsSnapshot));
    }
}
