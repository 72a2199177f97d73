using System.Diagnostics.Metrics;
using Analytics.Messaging;

namespace Analytics.Sidecar.Telemetry;

/// <summary>Counters behind <c>GET /stats</c>, mirrored as metrics on the <c>Analytics.Sidecar</c> meter.</summary>
internal sealed class SidecarStats
{
    private static readonly string[] Reasons =
    [
        RejectionReasons.Limits, RejectionReasons.Decision, RejectionReasons.Authentication, RejectionReasons.Authorization,
        RejectionReasons.RateLimit, RejectionReasons.Inspection, RejectionReasons.Validation, RejectionReasons.NoRoute,
        RejectionReasons.Upstream,
    ];

    private readonly long[] _rejections = new long[Reasons.Length];
    private readonly Counter<long> _requestsCounter;
    private readonly Counter<long> _rejectionsCounter;
    private long _requests;
    private long _simulated;
    private long _decisionsRejected;
    private readonly Counter<long> _decisionsRejectedCounter;

    public SidecarStats(IMeterFactory meters)
    {
        var meter = meters.Create("Analytics.Sidecar");
        _requestsCounter = meter.CreateCounter<long>("analytics.sidecar.requests", description: "Requests seen by the sidecar");
        _rejectionsCounter = meter.CreateCounter<long>("analytics.sidecar.rejections", description: "Requests the sidecar ended itself, by reason");
        _decisionsRejectedCounter = meter.CreateCounter<long>("analytics.sidecar.decisions.rejected",
            description: "Decisions refused (invalid, unsigned, badly signed, over the cap) and dead-lettered, by reason");
    }

    public long Requests => Interlocked.Read(ref _requests);
    public long SimulatedMatches => Interlocked.Read(ref _simulated);

    public void Request(string rejectedBy)
    {
        Interlocked.Increment(ref _requests);
        _requestsCounter.Add(1);
        if (rejectedBy == RejectionReasons.None)
        {
            return;
        }

        var index = Array.IndexOf(Reasons, rejectedBy);
        if (index >= 0)
        {
            Interlocked.Increment(ref _rejections[index]);
        }

        _rejectionsCounter.Add(1, new KeyValuePair<string, object?>("reason", rejectedBy));
    }

    public void SimulatedMatch() => Interlocked.Increment(ref _simulated);

    public long DecisionsRejected => Interlocked.Read(ref _decisionsRejected);

    /// <summary>Counts a decision from the stream that was refused, by <see cref="DecisionRejections"/> reason.</summary>
    public void DecisionRejected(string reason)
    {
        Interlocked.Increment(ref _decisionsRejected);
        _decisionsRejectedCounter.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public Dictionary<string, long> RejectionsByReason()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < Reasons.Length; i++)
        {
            result[Reasons[i]] = Interlocked.Read(ref _rejections[i]);
        }

        return result;
    }
}
