
using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Detection.Ingest;

namespace Analytics.Detection.Model;

/// <summary>One client-IP window's features with its label, as training and calibration data.</summary>
internal sealed record LabelledWindow(string Entity, float[] Features, string Label);

/// <summary>
/// Replays events through a feature store and takes one snapshot per client IP and 10-second
/// bucket once the window holds enough requests: the same vectors the detector scores live.
/// </summary>
internal static class WindowSampler
{
    private static readonly long MinHistoryTicks = new ModelOptions().MinHistory.Ticks;

    public static List<LabelledWindow> Sample(IEnumerable<InputEvent> events, FeatureOptions options, int minRequests, Action<long>? progress = null)
    {
        var store = new FeatureStore(options);
        var lastBucket = new Dictionary<string, long>(StringComparer.Ordinal);
        var windows = new List<LabelledWindow>();
        var features = new float[F.Count];
        long n = 0;
        foreach (var input in events)
        {
            progress?.Invoke(++n);
            var touched = store.Observe(input.Event);
            if (touched.Ip is not { } ip)
            {
                continue;
            }

            var bucket = input.Event.Timestamp.UtcTicks / FeatureWindows.ShortBucketTicks;
            if (lastBucket.TryGetValue(ip.Key, out var b) && b == bucket)
            {
                continue;
            }

            ip.Compute(features);
            // Same gate as the detector: only windows of entities with some history.
            if (features[F.Requests1m] < minRequests || ip.LastTicks - ip.FirstTicks < MinHistoryTicks)
            {
                continue;
            }

            lastBucket[ip.Key] = bucket;
            var label = input.Label == TrafficLabels.Attack || input.AttackClass is { Length: > 0 } ? input.AttackClass ?? "attack" : TrafficLabels.Benign;
            windows.Add(new LabelledWindow(ip.Key, [.. features], label));
        }

        return windows;
    }
}
