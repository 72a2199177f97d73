namespace Analytics.Sidecar.Routes;

/// <summary>Values of <see cref="SidecarRouteOptions.ClientCertificate"/>.</summary>
public static class ClientCertificateModes
{
    /// <summary>The default: a client certificate is not a credential on this route.</summary>
    public const string Ignore = "ignore";

    /// <summary>A valid client certificate authenticates a caller that presents no token or key.</summary>
    public const string Accept = "accept";

    /// <summary>Only a valid client certificate authenticates (401 without one); tokens and keys are not accepted.</summary>
    public const string Require = "require";

    public static bool IsKnown(string mode) => mode is Ignore or Accept or Require;
}
