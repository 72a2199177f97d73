using Analytics.Alerts.Channels;
using Analytics.Alerts.Decisions;
using Analytics.Alerts.Jobs;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Stats;
using Analytics.Alerts.Templates;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Builder;
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
            .ValidateWith<AlertsOptions>(AlertsOptions.Section, AlertsOptionsValidation.Validate);

        // Webhook URLs are credentials: these clients log nothing (the default handler logs every request URI).
        services.AddHttpClient(SlackChannel.HttpClientName, (sp, c) => c.Timeout = Options(sp).Slack.Timeout).RemoveAllLoggers();
        services.AddHttpClient(WebhookChannel.HttpClientName, (sp, c) => c.Timeout = Options(sp).Webhook.Timeout).RemoveAllLoggers();

        services.AddSingleton<IAlertChannel, LogAlertChannel>();
        services.AddSingleton<IAlertChannel, SlackChannel>();
        services.AddSingleton<IAlertChannel, EmailChannel>();
        services.AddSingleton<IAlertChannel, WebhookChannel>();

        services.AddSingleton<AlertStats>();
        services.AddSingleton<RecentAlerts>();
        services.AddSingleton<DecisionBook>();
        services.AddSingleton<NotificationViewBuilder>();
        services.AddSingleton<AlertJobStorage>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<DeliveryRetryFilter>();
        services.AddSingleton<DeliveryJobFilters>();
        services.AddSingleton<DeliveryEnqueuer>();
        services.AddTransient<DeliveryJob>();

        services.AddHostedService<DecisionBookFollower>();
        services.AddHostedService<DeliveryServer>();
        services.AddKeyedSingleton<ConsumerAssignment>(AlertDispatcher.ConsumerKey);
        // Not ready until the dispatcher has joined its group and holds its assignment.
        services.AddReadinessCheck("alerts-consumer", sp => sp.GetRequiredKeyedService<ConsumerAssignment>(AlertDispatcher.ConsumerKey).IsAssigned);
        services.AddHostedService<AlertDispatcher>();
        services.AddAdminEndpoints<AlertsAdminEndpoints>();
        return builder;
    }

    private static AlertsOptions Options(IServiceProvider sp) =>
        sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlertsOptions>>().Value;
}
