using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Model;

/// <summary>The anomaly model as a detector: scores client-IP windows with enough requests and names the features that stand out.</summary>
internal sealed class AnomalyDetector(ModelHolder holder, ModelOptions options) : IDetector
{
    private readonly float[] _residual = new float[F.Count];
    // Entities the class model called benign, until the end of that 10-second bucket: the classifier is
    // far costlier than the PCA score and its verdict on the same window would not change.
    private readonly Dictionary<string, long> _vetoedUntil = new(StringComparer.Ordinal);
    private readonly RuleOptions _rule = new ModelRuleOptions(options);

    public string Name => "anomaly";

    public string AlertType => AlertTypes.Anomaly;

    public int ScopeMask { get; } = 1 << (int)EntityScope.Ip;

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        // Read the reference once: a swap during scoring must not mix two models.
        var model = holder.Current;
        if (model is null || ctx.Features[F.Requests1m] < Math.Max(options.MinRequests, model.Card.MinRequests)
            || ctx.State.LastTicks - ctx.State.FirstTicks < options.MinHistory.Ticks)
        {
            return null;
        }

        var ticks = ctx.Event.Timestamp.UtcTicks;

        // A busy entity's window barely moves within a second; scoring it once per second of event
        // time keeps the model off the per-event cost of floods and batch clients (≤ 1 s later).
        var second = (int)((ticks - FeatureWindows.EpochTicks) / TimeSpan.TicksPerSecond);
        if (second == ctx.State.ModelScoredSecond)
        {
            return null;
        }

        ctx.State.ModelScoredSecond = second;
        if (_vetoedUntil.Count > 0 && _vetoedUntil.TryGetValue(ctx.State.Key, out var until) && until > ticks)
        {
            return null;
        }

        var score = model.Score(ctx.Features, _residual);
        var threshold = model.Threshold * options.ThresholdScale;
        if (score <= threshold)
        {
            return null;
        }

        (string Class, float Score)? predicted = model.Classifier?.Classify(ctx.Features);
        if (predicted is { Class: TrafficLabels.Benign } && options.ClassifierVeto)
        {
            if (_vetoedUntil.Count > 10_000)
            {
                _vetoedUntil.Clear();
            }

            _vetoedUntil[ctx.State.Key] = ((ticks / FeatureWindows.ShortBucketTicks) + 1) * FeatureWindows.ShortBucketTicks;
            return null;
        }

        var top = TopFeatures(ctx.Features, score, options.TopFeatures);
        var values = new Dictionary<string, double>();
        foreach (var t in top)
        {
            values[t.Feature] = t.Value;
        }

        values["anomaly_score"] = Math.Round(score, 3);
        var likely = "";
        if (predicted is { } p)
        {
            var (cls, classScore) = p;
            values["class_score:" + cls] = Math.Round(classScore, 3);
            likely = $" Likely attack class: {cls}.";
        }

        var evidence = new Evidence
        {
            Window = "1m",
            WindowStart = ctx.State.ShortWindowStart,
            WindowEnd = ctx.State.LastSeen,
            Features = values,
            Thresholds = new Dictionary<string, double> { ["anomaly_score"] = Math.Round(threshold, 3) },
            TopFeatures = top,
            SampleRequestIds = [ctx.Event.RequestId],
            TraceId = ctx.Event.TraceId,
            Explanation = $"Model {model.Card.Name} scored {ctx.State.Key}'s last minute {score:0.#} (threshold {threshold:0.#}); most unusual: {string.Join(", ", top.Select(t => $"{t.Feature}={t.Value:0.##}"))}.{likely}",
        };
        return new DetectorHit
        {
            Detector = Name,
            Source = "model:" + model.Card.Name,
            AlertType = AlertTypes.Anomaly,
            Scope = ctx.Scope,
            Value = ctx.State.Key,
            Rule = _rule,
            Evidence = evidence,
            Title = $"Anomalous traffic from {ctx.State.Key}",
            Score = Math.Round(score / threshold, 3),
        };
    }

    private List<FeatureContribution> TopFeatures(ReadOnlySpan<float> raw, float score, int n)
    {
        var top = new List<FeatureContribution>(n);
        Span<bool> used = stackalloc bool[F.Count];
        for (var k = 0; k < n; k++)
        {
            var best = -1;
            for (var i = 0; i < F.Count; i++)
            {
                if (!used[i] && (best < 0 || _residual[i] > _residual[best]))
                {
                    best = i;
                }
            }

            used[best] = true;
            top.Add(new FeatureContribution(F.Name(best), Math.Round(raw[best], 3), Math.Round(_residual[best] / score, 3)));
        }

        return top;
    }

    /// <summary>Adapts the model's settings to the rule settings the decision engine reads.</summary>
    private sealed class ModelRuleOptions : RuleOptions
    {
        public ModelRuleOptions(ModelOptions o)
        {
            Simulate = o.Simulate;
            Action = o.Action;
            Ttl = o.Ttl;
            Severity = o.Severity;
            Scopes = "ip";
        }
    }
}
