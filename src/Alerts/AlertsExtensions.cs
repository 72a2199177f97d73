using Analytics.Alerts.Channels;
using Analytics.Alerts.Routing;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Alerts;

/// <summary>Composes the alerts service: <c>builder.AddAlerts()</c>.</summary>
public static class AlertsExtensions
{
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddStreams(builder.Configuration);
        services.AddValidatedOptions<AlertsOptions>(builder.Configuration, AlertsOptions.Section)
            .ValidateWith<AlertsOptions>(AlertsOptions.Section, (o, errors) =>
                errors.AddIf(o.Log.MinSeverity is not ("info" or "low" or "medium" or "high" or "critical"), "Log:MinSeverity", $"'{o.Log.MinSeverity}' is not a severity"));
        services.AddSingleton<IAlertChannel, LogAlertChannel>();
        services.AddSingleton<RecentAlerts>();
        services.AddHostedService<AlertDispatcher>();
        services.AddAdminEndpoints<AlertsAdminEndpoints>();
        return builder;
    }

    /// <summary>GET /alerts: the most recent alerts handled.</summary>
    private sealed class AlertsAdminEndpoints(RecentAlerts recent) : IAdminEndpoints
    {
        public void MapEndpoints(IEndpointRouteBuilder admin) =>
            admin.MapGet("/alerts", () => TypedResults.Json(recent.Snapshot(), MessagesJsonContext.Default.ListAlert));
    }
}
