using Analytics.Analyzer.Catalog;
using Analytics.ServiceDefaults.Admin;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Jobs;

/// <summary>Hangfire for the analyzer: storage (in-memory, or PostgreSQL when configured), server, recurring jobs, dashboard on the admin listener.</summary>
internal static class HangfireSetup
{
    public static void AddAnalyzerJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DecisionExpiryJob>();
        services.AddSingleton<DailySummaryJob>();
        services.AddSingleton<RetrainJob>();
        services.AddSingleton<AnalyzerJobs>();
        services.AddApiCatalogJob(configuration);

        // Storage is chosen now, from raw configuration: Hangfire's registration runs before options validation.
        var postgres = configuration[$"{AnalyzerOptions.Section}:Hangfire:PostgreSql"];
        if (configuration[$"{AnalyzerOptions.Section}:Hangfire:Enabled"] is { } enabled && bool.TryParse(enabled, out var on) && !on)
        {
            return;
        }

        // In one process with other services (Standalone) Hangfire may already be configured: share its storage.
        if (services.Any(d => d.ServiceType == typeof(JobStorage)))
        {
            services.AddHostedService<RecurringJobRegistrar>();
            services.AddAdminEndpoints<HangfireDashboardEndpoints>();
            return;
        }

        services.AddHangfire(config =>
        {
            config.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (string.IsNullOrWhiteSpace(postgres))
            {
                config.UseInMemoryStorage();
            }
            else
            {
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(postgres));
            }
        });
        services.AddHangfireServer(o => o.ServerName = "analyzer");
        services.AddHostedService<RecurringJobRegistrar>();
        services.AddAdminEndpoints<HangfireDashboardEndpoints>();
    }

    /// <summary>Registers the recurring jobs once the host has started (the storage exists by then).</summary>
    private sealed class RecurringJobRegistrar(IRecurringJobManager jobs, IOptions<AnalyzerOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var h = options.Value.Hangfire;
            jobs.AddOrUpdate<AnalyzerJobs>(AnalyzerJobs.Expiry, j => j.ExpireDecisionsAsync(CancellationToken.None), h.ExpirySweepCron);
            jobs.AddOrUpdate<AnalyzerJobs>(AnalyzerJobs.Summary, j => j.DailySummaryAsync(CancellationToken.None), h.DailySummaryCron);
            jobs.AddOrUpdate<AnalyzerJobs>(AnalyzerJobs.Retrain, j => j.RetrainModel(), h.RetrainCron);
            jobs.AddOrUpdate<Catalog.ApiCatalogJob>("analyzer-api-catalog", j => j.RunAsync(CancellationToken.None), h.CatalogCron);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The Hangfire dashboard at <c>/hangfire</c> on the admin listener, behind the admin token.</summary>
internal sealed class HangfireDashboardEndpoints(JobStorage storage) : IAdminEndpoints
{
    public void ConfigureBranch(IApplicationBuilder branch) =>
        branch.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminTokenDashboardFilter()],
            // The dashboard sits behind the admin listener; no anonymous read-only view.
            // Viewers and operators see the dashboard; only admins re-run or delete jobs.
            IsReadOnlyFunc = ctx => !AdminListener.HasRole(ctx.GetHttpContext(), AdminRole.Admin),
            AppPath = null,
        }, storage);

    public void MapEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder admin)
    {
    }
}

/// <summary>Lets a dashboard request through only with an admin credential the admin gate accepted (so the dashboard stays closed if mounted elsewhere).</summary>
internal sealed class AdminTokenDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => AdminListener.HasRole(context.GetHttpContext(), AdminRole.Viewer);
}
