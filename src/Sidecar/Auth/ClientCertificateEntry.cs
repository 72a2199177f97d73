namespace Analytics.Sidecar.Auth;

/// <summary>The roles and scopes of a client certificate's subject (its distinguished name as .NET prints it, e.g. <c>CN=billing, O=Example</c>).</summary>
public sealed class ClientCertificateEntry
{
    public string Subject { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    public List<string> Scopes { get; set; } = [];
}
