namespace Analytics.Sidecar.Routes;

/// <summary>Values of <see cref="SidecarRouteOptions.Auth"/>.</summary>
public static class RouteAuthModes
{
    public const string Anonymous = "anonymous";
    public const string Authenticated = "authenticated";
}
