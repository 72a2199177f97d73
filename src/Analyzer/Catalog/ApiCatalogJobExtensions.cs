using Analytics.ServiceDefaults.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Analyzer.Catalog;

/// <summary>Registration of the API catalog job.</summary>
public static class ApiCatalogJobExtensions
{
    /// <summary>Registers <see cref="ApiCatalogJob"/> with its options (<c>Analyzer:Catalog</c>); the host schedules it (Hangfire).</summary>
    public static IServiceCollection AddApiCatalogJob(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ApiCatalogJobOptions>(configuration, ApiCatalogJobOptions.SectionPath)
            .ValidateWith<ApiCatalogJobOptions>(ApiCatalogJobOptions.SectionPath, (o, errors) =>
            {
                errors.AddIf(o.ZombieAfterDays < 1, "ZombieAfterDays", "must be at least 1");
                foreach (var (name, source) in o.Services)
                {
                    errors.AddIf(!Uri.TryCreate(source.AdminUrl, UriKind.Absolute, out _), $"Services:{name}:AdminUrl", $"'{source.AdminUrl}' is not an absolute URL");
                    errors.AddIf(source.OpenApi is { Length: > 0 } f && !File.Exists(f), $"Services:{name}:OpenApi", "the file does not exist");
                }
            });
        services.AddHttpClient(ApiCatalogJob.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiCatalogJob>();
        return services;
    }
}
