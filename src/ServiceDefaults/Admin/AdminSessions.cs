using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>
/// Browser sessions opened on the sign-in page. The cookie holds a random session id, never the
/// admin token; sessions live in memory, so a restart signs everyone out.
/// </summary>
internal sealed class AdminSessions(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, AdminPrincipal Principal)> _sessions = new(StringComparer.Ordinal);

    /// <summary>Opens a session for <paramref name="principal"/> and returns its id and expiry.</summary>
    public (string Id, DateTimeOffset Expires) Open(TimeSpan lifetime, AdminPrincipal principal)
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in _sessions)
        {
            if (entry.Expires <= now)
            {
                _sessions.TryRemove(id, out _);
            }
        }

        var session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var until = now + lifetime;
        _sessions[session] = (until, principal);
        return (session, until);
    }

    /// <summary>The credential that opened the session <paramref name="id"/>, while it is open; else null.</summary>
    public AdminPrincipal? Find(string? id) =>
        id is { Length: > 0 } && _sessions.TryGetValue(id, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Principal : null;

    public void Close(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }
}
