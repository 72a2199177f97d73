using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Detection.Ingest;
using Analytics.Detection.Model;
using Analytics.Traffic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Jobs;

/// <summary>
/// Retrains the anomaly model on recent windows of entities that raised nothing, and promotes
/// the candidate only when, on a held-back share of those windows and on generated attack
/// windows, it is no worse than the model in use: no more false positives, no less recall.
/// Promotion writes the model file; the file watcher swaps it in without a restart.
/// </summary>
internal sealed class RetrainJob(AnalyzerPipeline pipeline, RecentWindows windows, ModelHolder holder, IOptions<AnalyzerOptions> options, ILogger<RetrainJob> logger)
{
    public const int MinWindows = 500;

    /// <summary>Trains a model (<see cref="ModelTrainer.Train"/>); tests count the calls.</summary>
    internal Func<IReadOnlyList<LabelledWindow>, string, int, int, IReadOnlyList<TrainingInput>, string, string?, Func<AnomalyModel, bool>?, (AnomalyModel, IReadOnlyList<LabelledWindow>)> Trainer { get; init; } = ModelTrainer.Train;

    public RetrainOutcome Run()
    {
        HashSet<string> flagged;
        // The stream workers add to Flagged under the pipeline's lock; a copy taken without it can throw or miss entries.
        lock (pipeline)
        {
            flagged = pipeline.Flagged.ToHashSet(StringComparer.Ordinal);
        }

        var clean = windows.Snapshot().Where(w => !flagged.Contains("ip:" + w.Entity)).ToList();
        if (clean.Count < MinWindows)
        {
            Log.Retrain(logger, "-", $"skipped: {clean.Count} clean windows, need {MinWindows}");
            return new RetrainOutcome(false, $"only {clean.Count} clean windows");
        }

        // Held back by entity hash, so the comparison is on clients neither model trained on.
        var heldBack = clean.Where(w => Sketch.Hash(w.Entity, 77u) % 5 == 0).ToList();
        var train = clean.Where(w => Sketch.Hash(w.Entity, 77u) % 5 != 0).ToList();
        var attacks = AttackWindows(options.Value);
        var name = $"retrained-{DateTimeOffset.UtcNow:yyyyMMddHHmm}";
        // Trained once: the candidate is compared before it is written, and written only when promoted.
        RetrainOutcome? outcome = null;
        var (candidate, _) = Trainer(train, name, 1, options.Value.Model.MinRequests, [], "retrain job on recent clean windows", holder.Path,
            c => (outcome = Compare(c, holder.Current, heldBack, attacks)).Promote);
        outcome ??= Compare(candidate, holder.Current, heldBack, attacks);
        if (outcome.Promote && holder.Path is not null && !options.Value.Model.Watch)
        {
            holder.Reload();
        }

        Log.Retrain(logger, name, outcome.Reason);
        return outcome;
    }

    /// <summary>Promote when the candidate flags no more held-back benign windows and catches at least as many attack windows.</summary>
    internal static RetrainOutcome Compare(AnomalyModel candidate, AnomalyModel? current, IReadOnlyList<LabelledWindow> heldBack, IReadOnlyList<LabelledWindow> attacks)
    {
        var residual = new float[F.Count];
        int Fp(AnomalyModel m) => heldBack.Count(w => m.Score(w.Features, residual) > m.Threshold);
        int Tp(AnomalyModel m) => attacks.Count(w => m.Score(w.Features, residual) > m.Threshold);
        var (cfp, ctp) = (Fp(candidate), Tp(candidate));
        if (current is null)
        {
            return new RetrainOutcome(true, $"promoted: no model in use (candidate: {cfp} false positives, {ctp}/{attacks.Count} attack windows)");
        }

        var (ofp, otp) = (Fp(current), Tp(current));
        var promote = cfp <= ofp && ctp >= otp;
        return new RetrainOutcome(promote,
            $"{(promote ? "promoted" : "kept current")}: held-back false positives {cfp} vs {ofp}, attack windows caught {ctp} vs {otp} of {attacks.Count}");
    }

    private static List<LabelledWindow> AttackWindows(AnalyzerOptions options)
    {
        var traffic = new TrafficOptions { Seed = 4242, BrowsingUsers = 0, NatGroups = 0, BatchIntegrations = 0, Crawlers = 0, AttackersPerClass = 2, Distributed = false };
        var events = TrafficGenerator.Generate(traffic).Select(e => new InputEvent(e.Event, e.Label, e.AttackClass));
        return [.. WindowSampler.Sample(events, options.Features, options.Model.MinRequests).Where(w => w.Label != TrafficLabels.Benign)];
    }
}

/// <summary>What a retrain run decided.</summary>
internal sealed record RetrainOutcome(bool Promote, string Reason);
