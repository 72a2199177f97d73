using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection;

/// <summary>Builds evidence from named features and thresholds; only runs when a detector fires.</summary>
internal static class EvidenceBuilder
{
    public static Evidence Build(
        ref DetectionContext ctx,
        string window,
        ReadOnlySpan<int> features,
        IReadOnlyDictionary<string, double> thresholds,
        string explanation)
    {
        var values = new Dictionary<string, double>(features.Length);
        foreach (var i in features)
        {
            values[F.Name(i)] = Math.Round(ctx.Features[i], 3);
        }

        var start = window switch
        {
            "10m" => ctx.State.LongWindowStart,
            "1h" => Later(ctx.State.LastSeen.AddHours(-1), ctx.State.FirstSeen),
            "24h" => Later(ctx.State.LastSeen.AddDays(-1), ctx.State.FirstSeen),
            _ => ctx.State.ShortWindowStart,
        };
        return new Evidence
        {
            Window = window,
            WindowStart = start,
            WindowEnd = ctx.State.LastSeen,
            Features = values,
            Thresholds = thresholds,
            SampleRequestIds = string.IsNullOrEmpty(ctx.Event.RequestId) ? [] : [ctx.Event.RequestId],
            TraceId = ctx.Event.TraceId,
            Explanation = explanation,
        };
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
