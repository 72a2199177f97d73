using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Catalog;

/// <summary>Registration and pipeline entry points of the API catalog.</summary>
public static class CatalogExtensions
{
    /// <summary>Registers the catalog (options <c>Sidecar:Catalog</c>) and its admin endpoints.</summary>
    public static IServiceCollection AddApiCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CatalogOptions>(configuration, CatalogOptions.SectionPath)
            .ValidateWith<CatalogOptions>(CatalogOptions.SectionPath, (o, errors) =>
            {
                errors.AddIf(o.MaxOperations < 1, "MaxOperations", "must be at least 1");
                errors.AddIf(o.CardinalityLimit < 2, "CardinalityLimit", "must be at least 2");
                errors.AddIf(o.MaxSegments is < 1 or > 256, "MaxSegments", "must be between 1 and 256");
                errors.AddIf(o.MaxSegmentLength is < 16 or > 1024, "MaxSegmentLength", "must be between 16 and 1024");
                errors.AddIf(o.MaxTrackedPrefixes < 1, "MaxTrackedPrefixes", "must be at least 1");
                errors.AddIf(o.MaxTrackedValues < 1, "MaxTrackedValues", "must be at least 1");
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ApiCatalog(sp.GetRequiredService<IOptions<CatalogOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddAdminEndpoints<CatalogAdminEndpoints>();
        return services;
    }

    /// <summary>Adds the catalog to YARP's proxy pipeline; place it before <c>UseInspection</c> so it also counts rejected requests.</summary>
    public static IApplicationBuilder UseApiCatalog(this IApplicationBuilder proxyPipeline)
    {
        var options = proxyPipeline.ApplicationServices.GetRequiredService<IOptions<CatalogOptions>>().Value;
        return options.Enabled ? proxyPipeline.UseMiddleware<CatalogMiddleware>() : proxyPipeline;
    }
}
