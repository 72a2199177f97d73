using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Analytics.Messaging;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Auth;

/// <summary>
/// The caller a TLS client certificate stands for: kind <c>certificate</c>, id = its subject,
/// with the roles and scopes <c>Sidecar:Auth:ClientCertificates</c> gives that subject. Callers
/// are made once per subject (bounded by the configured subjects plus a cap on unlisted ones).
/// </summary>
internal sealed class ClientCertificateCallers
{
    private const int MaxUnlistedCallers = 10_000;
    private readonly Dictionary<string, Caller> _listed;
    private readonly ConcurrentDictionary<string, Caller> _unlisted = new(StringComparer.Ordinal);

    public ClientCertificateCallers(IOptions<SidecarAuthOptions> options)
    {
        _listed = new Dictionary<string, Caller>(StringComparer.Ordinal);
        foreach (var entry in options.Value.ClientCertificates)
        {
            _listed[entry.Subject] = new Caller(PrincipalKinds.Certificate, entry.Subject, entry.Roles, entry.Scopes);
        }
    }

    public Caller For(X509Certificate2 certificate)
    {
        var subject = certificate.Subject;
        if (_listed.TryGetValue(subject, out var caller) || _unlisted.TryGetValue(subject, out caller))
        {
            return caller;
        }

        caller = new Caller(PrincipalKinds.Certificate, subject, [], []);
        if (_unlisted.Count < MaxUnlistedCallers)
        {
            _unlisted.TryAdd(subject, caller);
        }

        return caller;
    }
}
