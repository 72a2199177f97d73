using System.Diagnostics.Metrics;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Sidecar.Telemetry;

/// <summary>
/// The request path as the telemetry loop sees each completed request (meter
/// <c>Analytics.Sidecar.Telemetry</c>): requests by route, outcome and the step that refused
/// them, the sidecar's and the upstream's latency, and what happened to the request events.
/// Recorded off the request path; <c>GET /stats</c> reads the same counts.
/// </summary>
internal sealed class TelemetryMetrics
{
    public const string MeterName = "Analytics.Sidecar.Telemetry";

    /// <summary>The <c>outcome</c> tag: the upstream answered, the sidecar refused, or the upstream could not be reached.</summary>
    public const string Forwarded = "forwarded";
    public const string Refused = "refused";
    public const string UpstreamFailed = "upstream_failed";

    private const string NoRoute = "none";

    /// <summary>
    /// The framework's per-request instruments that these metrics replace in a process that runs
    /// the sidecar: ASP.NET Core's request duration and active requests, and HttpClient's request
    /// duration (the forwarder's upstream call). Left enabled, hosting and HttpClient's metrics
    /// handler build a tag list and record each on the request path (an extra async frame per
    /// forwarded request for the handler, 1.2-1.8 % of the proxy's CPU in the request-path
    /// profile), to tell what <c>analytics.sidecar.request.duration</c>,
    /// <c>analytics.sidecar.upstream.duration</c> and <c>analytics.sidecar.requests.active</c>
    /// tell by route and outcome, recorded off the request path. Dropped instruments are never
    /// enabled, so their owners skip the measurement.
    /// </summary>
    public static readonly string[] ReplacedFrameworkInstruments =
    [
        "http.server.request.duration",
        "http.server.active_requests",
        "http.client.request.duration",
    ];

    // Every step /stats lists, zeros included, so a script sees the same keys each time.
    private static readonly string[] Steps =
    [
        RejectionReasons.Limits, RejectionReasons.Decision, RejectionReasons.Authentication, RejectionReasons.Authorization,
        RejectionReasons.RateLimit, RejectionReasons.Inspection, RejectionReasons.Validation, RejectionReasons.NoRoute,
        RejectionReasons.Upstream,
    ];

    private readonly Meter _meter;
    private readonly TaggedCounts _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _upstreamDuration;
    private long _bufferDropped;

    public TelemetryMetrics(IMeterFactory meters, IStreamTransport transport)
    {
        var meter = _meter = meters.Create(MeterName);
        var events = transport.GetProducer(Streams.Requests);
        _requests = new TaggedCounts(meter, "analytics.sidecar.requests", "{request}",
            "Requests seen by the sidecar, by route, outcome and the step that refused them", "route", "outcome", "refused_by");
        _duration = meter.CreateHistogram<double>("analytics.sidecar.request.duration", "s",
            "Time from the request's arrival to the last byte of its response, upstream included");
        _upstreamDuration = meter.CreateHistogram<double>("analytics.sidecar.upstream.duration", "s",
            "Time the upstream took, for forwarded requests");
        meter.CreateObservableCounter("analytics.sidecar.telemetry.published", () => events.Published, "{event}",
            "Request events accepted by the requests stream");
        meter.CreateObservableCounter("analytics.sidecar.telemetry.dropped",
            () => new[]
            {
                new Measurement<long>(Interlocked.Read(ref _bufferDropped), new KeyValuePair<string, object?>("stage", "buffer")),
                new Measurement<long>(events.Dropped, new KeyValuePair<string, object?>("stage", "stream")),
            },
            "{event}", "Request events lost: the telemetry buffer was full (buffer) or the stream's own buffer refused them (stream)");
    }

    /// <summary>
    /// Publishes <c>analytics.sidecar.requests.active</c>: requests that have arrived and are not
    /// yet counted as done (their response is still being served, or their record waits for the
    /// telemetry loop, at most a batch delay longer).
    /// </summary>
    public void ObserveActive(Func<long> active) =>
        _meter.CreateObservableUpDownCounter("analytics.sidecar.requests.active", active, "{request}",
            "Requests in progress: arrived and not yet counted in analytics.sidecar.requests");

    /// <summary>Requests seen since start.</summary>
    public long Requests => _requests.Total;

    /// <summary>Requests the sidecar ended itself, by the step that did (every step listed, zeros included).</summary>
    public Dictionary<string, long> RefusedBy()
    {
        var counts = _requests.SumBy("refused_by");
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var step in Steps)
        {
            result[step] = counts.GetValueOrDefault(step);
        }

        return result;
    }

    /// <summary>Events lost before the stream because the telemetry buffer was full.</summary>
    public long BufferDropped => Interlocked.Read(ref _bufferDropped);

    /// <summary>Counts one completed request and records its latencies.</summary>
    public void Completed(string? routeId, string refusedBy, double durationMs, double? upstreamMs)
    {
        var route = routeId ?? NoRoute;
        var outcome = refusedBy switch
        {
            RejectionReasons.None => Forwarded,
            RejectionReasons.Upstream => UpstreamFailed,
            _ => Refused,
        };
        _requests.Add(1, route, outcome, refusedBy);
        var routeTag = new KeyValuePair<string, object?>("route", route);
        _duration.Record(durationMs / 1000, routeTag, new KeyValuePair<string, object?>("outcome", outcome));
        if (upstreamMs is { } upstream)
        {
            _upstreamDuration.Record(upstream / 1000, routeTag);
        }
    }

    /// <summary>Counts an event the telemetry buffer could not take.</summary>
    public void BufferFull() => Interlocked.Increment(ref _bufferDropped);
}
