using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>
/// Browser sessions opened on the sign-in page. The cookie holds a random session id, never the
/// admin token; sessions live in memory, so a restart signs everyone out.
/// </summary>
internal sealed class AdminSessions(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    /// <summary>Opens a session and returns its id and expiry.</summary>
    public (string Id, DateTimeOffset Expires) Open(TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        foreach (var (id, expires) in _expiries)
        {
            if (expires <= now)
            {
                _expiries.TryRemove(id, out _);
            }
        }

        var session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var until = now + lifetime;
        _expiries[session] = until;
        return (session, until);
    }

    public bool IsOpen(string? id) =>
        id is { Length: > 0 } && _expiries.TryGetValue(id, out var expires) && expires > time.GetUtcNow();

    public void Close(string? id)
    {
        if (id is not null)
        {
            _expiries.TryRemove(id, out _);
        }
    }
}
