using System.Security.Cryptography;
using System.Text;
using Analytics.Messaging;

namespace Analytics.Traffic;

/// <summary>
/// Answers planned requests the way the demo shop behind the sidecar would (statuses, auth
/// outcomes, rate limits, inspection, catalog) and emits the sidecar's RequestEvent for each,
/// so labelled data sets need no running services.
/// </summary>
internal sealed class DemoSimulator(TrafficOptions options)
{
    private const double AnonymousRate = 50;
    private const double PrincipalRate = 20;
    private readonly Random _r = new(options.Seed ^ 0x5eed);
    private readonly Dictionary<string, (double Tokens, double LastSeconds)> _buckets = new(StringComparer.Ordinal);
    private long _requestCounter;

    public LabelledEvent Answer(PlannedRequest p)
    {
        var ts = options.Start + p.At;
        var seconds = p.At.TotalSeconds;
        var e = new RequestEvent
        {
            Timestamp = ts,
            RequestId = $"sim-{options.Seed}-{++_requestCounter:x8}",
            Instance = "sidecar-sim",
            Service = "demo-shop",
            ClientIp = p.Ip,
            Method = p.Method,
            RouteId = p.RouteId,
            PathTemplate = p.Template,
            Path = p.Path,
            UserAgent = p.UserAgent,
            BytesIn = p.Method == "POST" ? 120 + _r.Next(80) : 0,
            Catalog = p.Template is null ? null : p.Undocumented ? "undocumented" : "documented",
        };

        PrincipalInfo principal = PrincipalInfo.Anonymous;
        var auth = new AuthInfo(AuthOutcomes.Anonymous, null);
        int status;
        var rejectedBy = RejectionReasons.None;
        switch (p.Credential)
        {
            case Credential.ApiKey:
                principal = new PrincipalInfo(PrincipalKinds.ApiKey, p.KeyId ?? "demo-reader");
                auth = new AuthInfo(AuthOutcomes.Success, null);
                break;
            case Credential.Jwt:
                principal = new PrincipalInfo(PrincipalKinds.Jwt, p.User);
                auth = new AuthInfo(AuthOutcomes.Success, null);
                break;
        }

        var limited = !Allow(principal.Id ?? p.Ip, principal.Id is null ? AnonymousRate : PrincipalRate, seconds);
        InspectionInfo? inspection = null;
        if (p.Template is null)
        {
            status = 404;
            rejectedBy = RejectionReasons.NoRoute;
        }
        else if (limited)
        {
            status = 429;
            rejectedBy = RejectionReasons.RateLimit;
        }
        else if (p.Injection is { } category)
        {
            inspection = new InspectionInfo
            {
                Score = 8,
                Action = "block",
                Rules = [$"{category}-001"],
                Categories = [category],
            };
            status = 403;
            rejectedBy = RejectionReasons.Inspection;
        }
        else
        {
            status = p.RouteId switch
            {
                "login" => p.PasswordOk ? 200 : 401,
                "items" => ItemExists(p.Path) ? 200 : 404,
                "orders-get" => p.OwnResource ? 200 : (_r.NextDouble() < 0.5 ? 403 : 404),
                "orders-post" => 201,
                _ => 200,
            };
            if (p.RouteId == "login")
            {
                auth = p.PasswordOk ? new AuthInfo(AuthOutcomes.Success, null) : new AuthInfo(AuthOutcomes.Failure, "invalid_credentials");
            }
        }

        e = e with
        {
            Principal = principal,
            Auth = auth,
            Status = status,
            RejectedBy = rejectedBy,
            Inspection = inspection,
            RateLimit = new RateLimitInfo(limited ? "rejected" : "allowed", principal.Id is null ? "anonymous" : "authenticated"),
            LoginHash = p.RouteId == "login" && p.User is not null ? LoginHash(p.User) : null,
            BytesOut = status is >= 200 and < 300 ? 300 + _r.Next(1200) : 120,
            DurationMs = Math.Round(status is >= 200 and < 300 ? 8 + (_r.NextDouble() * 40) : 1 + (_r.NextDouble() * 3), 2),
            UpstreamMs = rejectedBy == RejectionReasons.None ? Math.Round(5 + (_r.NextDouble() * 30), 2) : null,
        };
        return new LabelledEvent(e, p.Label, p.AttackClass, p.Actor);
    }

    private bool Allow(string partition, double rate, double now)
    {
        if (!_buckets.TryGetValue(partition, out var b))
        {
            b = (rate, now);
        }

        var tokens = Math.Min(rate, b.Tokens + ((now - b.LastSeconds) * rate));
        var ok = tokens >= 1;
        _buckets[partition] = (ok ? tokens - 1 : tokens, now);
        return ok;
    }

    private static bool ItemExists(string path) =>
        int.TryParse(path.AsSpan(path.LastIndexOf('/') + 1), out var id) && id is >= 1 and <= 1000;

    /// <summary>Stands in for the sidecar's keyed HMAC of the login identifier.</summary>
    private static string LoginHash(string user) =>
        Convert.ToHexStringLower(HMACSHA256.HashData("demo-login-hash-key"u8, Encoding.UTF8.GetBytes(user)))[..16];
}
