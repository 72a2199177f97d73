using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>Registers the weekly report as a Hangfire recurring job when the analyzer runs Hangfire and documents are stored (archive or Elasticsearch).</summary>
internal static class SearchReportJobExtensions
{
    public static IServiceCollection AddSearchReportJob(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SearchReportJob>();
        // Decided now, from raw configuration: Hangfire is registered (or not) before options are validated.
        if (services.Any(d => d.ServiceType == typeof(JobStorage)))
        {
            services.AddHostedService<Registrar>();
        }

        return services;
    }

    private sealed class Registrar(IRecurringJobManager jobs, IOptions<SearchOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var o = options.Value;
            if (o.Report.Enabled && (o.ArchiveEnabled || !string.IsNullOrWhiteSpace(o.Elasticsearch.Url)))
            {
                jobs.AddOrUpdate<SearchReportJob>(SearchReportJob.Id, j => j.Run(), o.Report.Cron);
            }
            else
            {
                jobs.RemoveIfExists(SearchReportJob.Id);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
