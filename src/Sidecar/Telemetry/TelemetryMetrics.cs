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

    // Every step /stats lists, zeros included, so a script sees the same keys each time.
    private static readonly string[] Steps =
    [
        RejectionReasons.Limits, RejectionReasons.Decision, RejectionReasons.Authentication, RejectionReasons.Authorization,
        RejectionReasons.RateLimit, RejectionReasons.Inspection, RejectionReasons.Validation, RejectionReasons.NoRoute,
        RejectionReasons.Upstream,
    ];

    private readonly TaggedCounts _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _upstreamDuration;
    private long _bufferDropped;

    public TelemetryMetrics(IMeterFactory meters, IStreamTransport transport)
    {
        var meter = meters.Create(MeterName);
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
