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
            ValidateRoute(route, id + ":", errors, policies);
        }

        if (!configuration.GetSection(DefaultRoutePolicy.Section).Exists())
        {
            foreach (var id in proxyRoutes.Where(r => !routes.ContainsKey(r)).Order(StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(id, $"ReverseProxy route '{id}' has no policy: add one here, or set {DefaultRoutePolicy.Section} for routes without one");
            }
        }
    }

    /// <summary>Checks <c>Sidecar:DefaultRoutePolicy</c>, when set, as strictly as a route's own entry (errors are under the <c>Sidecar</c> section).</summary>
    public static void ValidateDefault(ValidationErrors errors, IConfiguration configuration)
    {
        SidecarRouteOptions? policy;
        try
        {
            policy = DefaultRoutePolicy.Bind(configuration);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add("DefaultRoutePolicy", ex.Message);
            return;
        }

        if (policy is not null)
        {
            var policies = configuration.GetSection($"{SidecarRateLimitingOptions.Section}:Policies").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            ValidateRoute(policy, "DefaultRoutePolicy:", errors, policies);
        }
    }

    private static void ValidateRoute(SidecarRouteOptions route, string prefix, ValidationErrors errors, HashSet<string> policies)
    {
        errors.AddIf(route.Auth is not (RouteAuthModes.Anonymous or RouteAuthModes.Authenticated), $"{prefix}Auth", $"'{route.Auth}' is not anonymous or authenticated");
        errors.AddIf(route.RateLimitPolicy is { } p && !policies.Contains(p), $"{prefix}RateLimitPolicy", $"'{route.RateLimitPolicy}' is not a policy under {SidecarRateLimitingOptions.Section}:Policies");
        errors.AddIf(route.MaxRequestBodyBytes is < 0, $"{prefix}MaxRequestBodyBytes", "must not be negative");
        InspectionExtensions.ValidateRouteInspection(route.Inspection, prefix.TrimEnd(':'), errors);
        errors.AddIf(string.Equals(route.Auth, RouteAuthModes.Anonymous, StringComparison.OrdinalIgnoreCase) && (route.Roles.Count > 0 || route.Scopes.Count > 0),
            $"{prefix}Auth", "an anonymous route cannot require roles or scopes");
    }
}
