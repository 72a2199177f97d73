using System.Diagnostics;
using System.Net;
using System.Threading.RateLimiting;
using Analytics.Messaging;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Analytics.Sidecar.Pipeline;

/// <summary>
/// Everything the request path knows about one request: resolved once (route policy, client
/// address, principal), filled in by the steps (the telemetry fields), and handed whole to the
/// telemetry loop when the response is done. Set once on <see cref="HttpContext.Features"/>.
/// Pooled: after the telemetry loop has read it, it is reset and serves another request.
/// </summary>
internal sealed class RequestContext
{
    private string? _clientText;
    private string? _aggregationKey;
    private int _ipv6Prefix = ClientAddresses.DefaultIpv6Prefix;

    // ---- resolved once ----

    /// <summary>The matched route's compiled policy; null for unrouted requests.</summary>
    public RoutePolicy? Route { get; set; }

    /// <summary>The client address (forwarded headers already applied, IPv4-mapped folded).</summary>
    public IPAddress ClientIp { get; private set; } = IPAddress.None;

    public string ClientIpText => _clientText ??= ClientIp.ToString();

    /// <summary>What clients are counted by: the address; for IPv6 its aggregation prefix (a /64 by default).</summary>
    public string AggregationKey => _aggregationKey ??= ClientAddresses.AggregationKey(ClientIp, ClientIpText, _ipv6Prefix);

    /// <summary>The authenticated caller; null for anonymous requests.</summary>
    public Caller? Caller { get; set; }

    // ---- enforcement and rate limiting ----

    /// <summary>An allow decision matched the client's network (its blocks and throttles were set aside; the principal's still apply).</summary>
    public bool Allowlisted { get; set; }

    /// <summary>The tightest throttle decision that applies (not set aside by an allow of its own dimension), if any.</summary>
    public Decision? Throttle { get; set; }

    /// <summary>The request holds a slot of the global concurrency cap, released when it completes.</summary>
    public bool HoldsGlobalSlot { get; set; }

    /// <summary>A lease that lives as long as the request (concurrency policies).</summary>
    public RateLimitLease? Lease { get; set; }

    // ---- telemetry fields, as the steps fill them in ----

    public string? RouteId => Route?.RouteId;
    public string? PathTemplate { get; set; }
    public PrincipalInfo Principal { get; set; } = PrincipalInfo.Anonymous;
    public AuthInfo Auth { get; set; } = AuthInfo.NotEvaluated;
    public RateLimitInfo RateLimit { get; set; } = RateLimitInfo.NotEvaluated;
    public InspectionInfo? Inspection { get; set; }
    public string? Catalog { get; set; }
    public string? DecisionId { get; set; }
    public string? LoginHash { get; set; }
    public string RejectedBy { get; set; } = RejectionReasons.None;

    /// <summary>The canonical path inspection computed; telemetry falls back to the raw path.</summary>
    public string? NormalizedPath { get; set; }

    // ---- what the telemetry loop needs once the HttpContext is gone ----

    public DateTimeOffset Timestamp { get; private set; }
    public long StartedTimestamp { get; private set; }
    public long ForwardStartedTimestamp { get; set; }
    public string Method { get; private set; } = "";
    public string Path { get; private set; } = "/";

    /// <summary>The request target as sent (Kestrel's <c>Path</c> is decoded and normalised), for the catalog.</summary>
    public string RawTarget { get; private set; } = "/";
    public string? UserAgent { get; private set; }
    public string RequestId { get; set; } = "";
    public ActivityTraceId TraceId { get; private set; }
    public int Status { get; set; }
    public long BytesIn { get; set; }
    public long BytesOut { get; set; }
    public double DurationMs { get; set; }

    /// <summary>Header bytes as the limits step counts them, summed by the edge's framing check; -1 until then.</summary>
    public long HeaderBytes { get; set; } = -1;

    /// <summary>Counts a body sent without Content-Length.</summary>
    public CountingStream? RequestBodyCounter { get; set; }

    /// <summary>Counts a response body sent without Content-Length.</summary>
    public CountingStream? ResponseBodyCounter { get; set; }
    public double? UpstreamMs { get; set; }

    /// <summary>The request's context; made on first use where no edge step made one (hosts that compose single steps).</summary>
    public static RequestContext For(HttpContext context)
    {
        var found = context.Features.Get<RequestContext>();
        if (found is not null)
        {
            return found;
        }

        var created = new RequestContext();
        created.Begin(context, TimeProvider.System);
        context.Features.Set(created);
        return created;
    }

    /// <summary>Reads what is known when the request arrives: strings Kestrel already holds, no copies.</summary>
    public void Begin(HttpContext context, TimeProvider time, int ipv6Prefix = ClientAddresses.DefaultIpv6Prefix)
    {
        _ipv6Prefix = ipv6Prefix;
        Timestamp = time.GetUtcNow();
        StartedTimestamp = time.GetTimestamp();
        var request = context.Request;
        Method = request.Method;
        Path = request.Path.Value ?? "/";
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        RawTarget = string.IsNullOrEmpty(raw) || raw[0] != '/' ? Path : raw;
        var agent = request.Headers.UserAgent;
        UserAgent = agent.Count == 0 ? null : agent.Count == 1 ? agent[0] : agent.ToString();
        TraceId = Activity.Current?.TraceId ?? default;
        ClientIp = ClientAddresses.Normalize(context.Connection.RemoteIpAddress);
        BytesIn = request.ContentLength ?? 0;
    }

    /// <summary>Forgets the request, for the pool.</summary>
    public void Reset()
    {
        _clientText = null;
        _aggregationKey = null;
        Route = null;
        ClientIp = IPAddress.None;
        Caller = null;
        Allowlisted = false;
        Throttle = null;
        HoldsGlobalSlot = false;
        Lease = null;
        PathTemplate = null;
        Principal = PrincipalInfo.Anonymous;
        Auth = AuthInfo.NotEvaluated;
        RateLimit = RateLimitInfo.NotEvaluated;
        Inspection = null;
        Catalog = null;
        DecisionId = null;
        LoginHash = null;
        RejectedBy = RejectionReasons.None;
        NormalizedPath = null;
        ForwardStartedTimestamp = 0;
        Method = "";
        Path = "/";
        RawTarget = "/";
        UserAgent = null;
        RequestId = "";
        TraceId = default;
        Status = 0;
        BytesIn = 0;
        BytesOut = 0;
        DurationMs = 0;
        HeaderBytes = -1;
        RequestBodyCounter = null;
        ResponseBodyCounter = null;
        UpstreamMs = null;
    }
}
