using Analytics.Inspection;
using Analytics.ServiceDefaults.Options;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace Analytics.Sidecar.Routes;

/// <summary>Checks <c>Sidecar:Routes</c> against the YARP routes and the rate-limit policies that exist; runs at start-up and on every reload.</summary>
internal static class RoutesOptionsValidator
{
    public static void Validate(SidecarRoutesOptions routes, ValidationErrors errors, IConfiguration configuration)
    {
        var proxyRoutes = configuration.GetSection("ReverseProxy:Routes").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var policies = configuration.GetSection($"{SidecarRateLimitingOptions.Section}:Policies").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, route) in routes)
        {
            errors.AddIf(!proxyRoutes.Contains(id), $"{id}", "names no route under ReverseProxy:Routes");
            errors.AddIf(route.Auth is not (RouteAuthModes.Anonymous or RouteAuthModes.Authenticated), $"{id}:Auth", $"'{route.Auth}' is not anonymous or authenticated");
            errors.AddIf(route.RateLimitPolicy is { } p && !policies.Contains(p), $"{id}:RateLimitPolicy", $"'{route.RateLimitPolicy}' is not a policy under {SidecarRateLimitingOptions.Section}:Policies");
            errors.AddIf(route.MaxRequestBodyBytes is < 0, $"{id}:MaxRequestBodyBytes", "must not be negative");
            InspectionExtensions.ValidateRouteInspection(route.Inspection, id, errors);
            errors.AddIf(string.Equals(route.Auth, RouteAuthModes.Anonymous, StringComparison.OrdinalIgnoreCase) && (route.Roles.Count > 0 || route.Scopes.Count > 0),
                $"{id}:Auth", "an anonymous route cannot require roles or scopes");
        }
    }
}
