using Microsoft.Extensions.Configuration;

namespace Analytics.Sidecar.Routes;

/// <summary>
/// <c>Sidecar:DefaultRoutePolicy</c>: the policy (same keys as a <c>Sidecar:Routes</c> entry)
/// for YARP routes that have no entry of their own. Absent, such a route stops start-up: a new
/// route must be given a policy on purpose, never fall open to any valid credential.
/// </summary>
internal static class DefaultRoutePolicy
{
    public const string Section = "Sidecar:DefaultRoutePolicy";

    /// <summary>The configured default, bound strictly; null when the section is absent.</summary>
    public static SidecarRouteOptions? Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.Exists())
        {
            return null;
        }

        var policy = new SidecarRouteOptions();
        section.Bind(policy, o => o.ErrorOnUnknownConfiguration = true);
        return policy;
    }
}
