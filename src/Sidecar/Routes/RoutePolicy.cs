using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Inspection.OpenApi;
using Analytics.Sidecar.RateLimiting;
using Yarp.ReverseProxy.Configuration;

namespace Analytics.Sidecar.Routes;

/// <summary>
/// One route's policy, compiled from its YARP route config and its <c>Sidecar:Routes</c> entry:
/// every name resolved to its object and every default applied, so a request reads fields and
/// looks nothing up. Immutable; a config reload compiles a new one.
/// </summary>
internal sealed class RoutePolicy
{
    public RoutePolicy(RouteConfig config, SidecarRouteOptions options, RateLimitPolicy? rateLimit, long defaultMaxBodyBytes,
        int defaultInspectionBodyBytes, ApiDescription? openApi)
    {
        Config = config;
        Options = options;
        RouteId = config.RouteId;
        // A route pattern is the operation's template unless it is a catch-all, where the
        // catalog's learned template (ids folded) says more.
        PathTemplate = config.Match.Path is { } pattern && !pattern.Contains("{*", StringComparison.Ordinal) ? pattern : null;
        Anonymous = string.Equals(options.Auth, RouteAuthModes.Anonymous, StringComparison.OrdinalIgnoreCase);
        ClientCertificate = options.ClientCertificate;
        Roles = [.. options.Roles];
        Scopes = [.. options.Scopes];
        RateLimit = rateLimit;
        MaxRequestBodyBytes = options.MaxRequestBodyBytes ?? defaultMaxBodyBytes;
        LoginField = string.IsNullOrEmpty(options.LoginField) ? null : options.LoginField;
        Inspection = options.Inspection;
        Inspect = options.Inspection.Mode != InspectionModes.Off;
        Block = options.Inspection.Mode == InspectionModes.Block;
        Exclusions = options.Inspection.DisabledRules.Count == 0 && options.Inspection.Exclusions.Count == 0 ? null : new InspectionExclusions(options.Inspection);
        InspectionBodyBytes = options.Inspection.MaxBodyBytes ?? defaultInspectionBodyBytes;
        OpenApi = openApi;
        Validate = openApi is not null && (options.Inspection.OpenApiValidation != InspectionModes.Off || options.Inspection.RejectUndocumented);
    }

    /// <summary>The YARP config this was compiled from: a reload brings a new instance, hence a recompile.</summary>
    public RouteConfig Config { get; }

    /// <summary>The <c>Sidecar:Routes</c> entry this was compiled from.</summary>
    public SidecarRouteOptions Options { get; }

    public string RouteId { get; }

    /// <summary>The route's own path pattern when it names one operation; null for catch-alls.</summary>
    public string? PathTemplate { get; }

    public bool Anonymous { get; }

    /// <summary>mTLS on this route: <see cref="ClientCertificateModes"/>.</summary>
    public string ClientCertificate { get; }

    public string[] Roles { get; }

    public string[] Scopes { get; }

    public RateLimitPolicy? RateLimit { get; }

    /// <summary>The route's body limit, else the listener's.</summary>
    public long MaxRequestBodyBytes { get; }

    public string? LoginField { get; }

    public RouteInspectionOptions Inspection { get; }

    /// <summary>Inspection mode is detect or block.</summary>
    public bool Inspect { get; }

    public bool Block { get; }

    public InspectionExclusions? Exclusions { get; }

    public int InspectionBodyBytes { get; }

    /// <summary>The cluster's OpenAPI description, if it has one.</summary>
    public ApiDescription? OpenApi { get; }

    /// <summary>OpenAPI validation or the undocumented-operation check applies.</summary>
    public bool Validate { get; }
}
