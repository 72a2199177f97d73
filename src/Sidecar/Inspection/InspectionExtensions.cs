using Analytics.Inspection;
using Analytics.ServiceDefaults.Options;
using Analytics.Sidecar.Inspection.OpenApi;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Sidecar.Inspection;

/// <summary>Registration and pipeline entry points of request inspection.</summary>
public static class InspectionExtensions
{
    /// <summary>
    /// Registers inspection: options from <c>Sidecar:Inspection</c> (validated at start-up), the
    /// engine with the learned model and the per-cluster OpenAPI documents. The host must
    /// register an <see cref="Routes.IRouteOptionsProvider"/>.
    /// </summary>
    public static IServiceCollection AddInspection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<InspectionOptions>(configuration, InspectionOptions.SectionPath)
            .ValidateWith<InspectionOptions>(InspectionOptions.SectionPath, (o, errors) =>
            {
                errors.AddIf(o.MaxBodyBytes < 0, "MaxBodyBytes", "must not be negative");
                errors.AddIf(o.MaxDecodePasses is < 1 or > 16, "MaxDecodePasses", "must be between 1 and 16");
                errors.AddIf(o.ModelThreshold is < 0 or > 1, "ModelThreshold", "must be a probability between 0 and 1");
                errors.AddIf(o.ModelWeight < 0, "ModelWeight", "must not be negative");
                foreach (var (cluster, path) in o.OpenApi)
                {
                    errors.AddIf(string.IsNullOrWhiteSpace(path), $"OpenApi:{cluster}", "needs a file path");
                }
            });
        services.TryAddSingleton<InspectionEngineHolder>();
        services.TryAddSingleton<OpenApiRegistry>();
        services.TryAddSingleton<InspectionMetrics>();
        services.TryAddSingleton<RequestInspector>();
        services.AddRoutePolicies();
        services.AddHostedService<InspectionWarmup>();
        return services;
    }

    /// <summary>Validates one route's inspection settings into the route options' validator; pass the route id as <paramref name="routeKeyPrefix"/> when <paramref name="errors"/> is rooted at <c>Sidecar:Routes</c>.</summary>
    public static void ValidateRouteInspection(RouteInspectionOptions options, string routeKeyPrefix, ValidationErrors errors) =>
        InspectionExclusions.Validate(options, (key, problem) => errors.Add($"{routeKeyPrefix}:Inspection:{key}", problem));

    /// <summary>Adds inspection as its own step to YARP's proxy pipeline, for hosts that compose steps one by one (the sidecar runs it from its fused route step).</summary>
    public static IApplicationBuilder UseInspection(this IApplicationBuilder proxyPipeline) =>
        proxyPipeline.UseMiddleware<InspectionMiddleware>();
}
