using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Detection.Model;
using Analytics.Messaging;

namespace Analytics.Detection;

/// <summary>
/// Features → detectors → decisions for one event at a time, evaluated on every event so a
/// decision follows the event that crossed a threshold. Single-threaded by design: the stream
/// worker, replay, evaluate and the benchmarks each own one.
/// </summary>
internal sealed class AnalyzerPipeline
{
    private readonly IDetector[] _detectors;
    private readonly float[] _features = new float[F.Count];
    private readonly float[] _routeFeatures = new float[F.Count];
    // Scopes some detector judges: the others' features are never computed.
    private readonly int _scopeMask;

    public AnalyzerPipeline(FeatureStore store, IEnumerable<IDetector> detectors, DecisionEngine decisions)
    {
        Store = store;
        _detectors = [.. detectors];
        Decisions = decisions;
        decisions.Ranges.Census = store.Census;
        foreach (var d in _detectors)
        {
            _scopeMask |= d.ScopeMask;
        }
    }

    public FeatureStore Store { get; }

    public DecisionEngine Decisions { get; }

    public IReadOnlyList<IDetector> Detectors => _detectors;

    public long Events { get; private set; }

    /// <summary>When set, busy client-IP windows are sampled here (one per entity and 10-second bucket) for retraining.</summary>
    public Model.RecentWindows? Sampler { get; init; }

    /// <summary>Entities that raised an alert since start (tracked only with a sampler), so retraining leaves them out.</summary>
    public HashSet<string> Flagged { get; } = new(StringComparer.Ordinal);

    /// <summary>The scopes some detector judges (a bit per <see cref="EntityScope"/>).</summary>
    public int JudgedScopes => _scopeMask;

    /// <summary>Processes one event and appends what should be published to <paramref name="outcomes"/>.</summary>
    public void Process(RequestEvent e, List<AnalyzerOutcome> outcomes) => Process(e, outcomes, FeatureStore.AllScopes);

    /// <summary>Processes one event for the entities of the scopes in <paramref name="scopeMask"/> only (one stage of a scaled-out analyzer).</summary>
    public void Process(RequestEvent e, List<AnalyzerOutcome> outcomes, int scopeMask)
    {
        Events++;
        var touched = Store.Observe(e, scopeMask);
        if (_detectors.Length == 0)
        {
            return;
        }

        ReadOnlySpan<float> routeFeatures = default;
        if (touched.Route is { } route)
        {
            route.Compute(_routeFeatures);
            routeFeatures = _routeFeatures;
        }

        for (var s = 0; s < EntityScopes.Count; s++)
        {
            var scope = (EntityScope)s;
            var state = touched.Get(scope);
            if (state is null || ((_scopeMask & (1 << s)) == 0 && !(scope == EntityScope.Ip && Sampler is not null)))
            {
                continue;
            }

            ReadOnlySpan<float> features;
            if (scope == EntityScope.Route)
            {
                features = routeFeatures;
            }
            else
            {
                state.Compute(_features);
                features = _features;
            }

            var ctx = new DetectionContext
            {
                Event = e,
                Scope = scope,
                State = state,
                Features = features,
                Route = touched.Route,
                RouteFeatures = routeFeatures,
            };

            var bit = 1 << s;
            var ticks = e.Timestamp.UtcTicks;
            var hot = Decisions.IsHot(scope, state.Key);
            foreach (var detector in _detectors)
            {
                // Skip detectors whose alert on this entity is still in force: no evidence is built for nothing.
                if ((detector.ScopeMask & bit) == 0 || (hot && Decisions.IsActive(detector.AlertType, scope, state.Key, ticks)))
                {
                    continue;
                }

                if (detector.Evaluate(ref ctx) is { } hit && Decisions.Handle(hit, ticks) is { } outcome)
                {
                    outcomes.Add(outcome);
                    if (Sampler is not null)
                    {
                        Flagged.Add(outcome.Alert.Entity);
                    }
                }
            }

            if (scope == EntityScope.Ip && Sampler is not null)
            {
                Sample(state, features, ticks);
            }
        }
    }

    private readonly Dictionary<string, long> _sampledBucket = new(StringComparer.Ordinal);

    private void Sample(EntityState state, ReadOnlySpan<float> features, long ticks)
    {
        if (features[F.Requests1m] < 10 || state.LastTicks - state.FirstTicks < TimeSpan.TicksPerSecond * 10)
        {
            return;
        }

        var bucket = ticks / FeatureWindows.ShortBucketTicks;
        if (_sampledBucket.TryGetValue(state.Key, out var last) && last == bucket)
        {
            return;
        }

        if (_sampledBucket.Count > 100_000)
        {
            _sampledBucket.Clear();
        }

        _sampledBucket[state.Key] = bucket;
        Sampler!.Add(state.Key, features);
    }
}
