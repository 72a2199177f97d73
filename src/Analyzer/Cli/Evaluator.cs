using Analytics.Analyzer.Decisions;
using Analytics.Analyzer.Ingest;
using Analytics.Analyzer.Traffic;
using Analytics.Messaging;

namespace Analytics.Analyzer.Cli;

/// <summary>Metrics of one class (or overall), counted per client-IP entity.</summary>
internal sealed record ClassMetrics(int Entities, int Detected, int FalsePositives, double Precision, double Recall, double Fpr, double? MedianTimeToDetectSeconds);

/// <summary>Evaluation outcome: overall and per attack class.</summary>
internal sealed record EvaluationResult(ClassMetrics Overall, IReadOnlyDictionary<string, ClassMetrics> Classes, int BenignEntities, long Events, IReadOnlyDictionary<string, int> DetectionsByType);

/// <summary>
/// Runs labelled events through a pipeline and scores it per client IP: an entity counts as
/// detected when any decision or alert names it. Recall of a class is the share of its entities
/// detected (by any detector); precision of a class is the share of entities alerted with that
/// class's type that really attack; FPR is benign entities flagged over all benign entities.
/// </summary>
internal sealed class Evaluator
{
    private readonly Dictionary<string, string> _truth = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _firstSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _firstDetected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _typesByEntity = new(StringComparer.Ordinal);
    private readonly List<AnalyzerOutcome> _outcomes = [];
    private long _events;

    /// <summary>Labels from a CSV <c>client,attack_class</c>; clients not listed are benign.</summary>
    public IReadOnlyDictionary<string, string>? CsvLabels { get; init; }

    public static Dictionary<string, string> ReadCsvLabels(string path)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(',', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0] != "client" && parts[0].Length > 0)
            {
                labels[parts[0]] = parts[1].Length == 0 || parts[1] == TrafficLabels.Benign ? TrafficLabels.Benign : parts[1];
            }
        }

        return labels;
    }

    /// <summary>Feeds one event; returns the outcomes it produced (valid until the next call).</summary>
    public IReadOnlyList<AnalyzerOutcome> Feed(AnalyzerPipeline pipeline, InputEvent input)
    {
        _events++;
        var e = input.Event;
        var ip = e.ClientIp;
        var ticks = e.Timestamp.UtcTicks;
        if (!_firstSeen.ContainsKey(ip))
        {
            _firstSeen[ip] = ticks;
        }

        var truth = CsvLabels is not null
            ? CsvLabels.GetValueOrDefault(ip, TrafficLabels.Benign)
            : input.Label == TrafficLabels.Attack || input.AttackClass is { Length: > 0 } ? input.AttackClass ?? "attack" : TrafficLabels.Benign;
        if (!_truth.TryGetValue(ip, out var known) || known == TrafficLabels.Benign)
        {
            _truth[ip] = truth;
        }

        _outcomes.Clear();
        pipeline.Process(e, _outcomes);
        foreach (var o in _outcomes)
        {
            Record(o.Alert.Entity, o.Alert.Type, ticks);
            if (o.Decision is { } d && d.Key != o.Alert.Entity)
            {
                Record(d.Key, o.Alert.Type, ticks);
            }
        }

        return _outcomes;
    }

    private void Record(string entity, string type, long ticks)
    {
        if (!entity.StartsWith("ip:", StringComparison.Ordinal))
        {
            return;
        }

        var ip = entity[3..];
        _firstDetected.TryAdd(ip, ticks);
        if (!_typesByEntity.TryGetValue(ip, out var types))
        {
            _typesByEntity[ip] = types = new HashSet<string>(StringComparer.Ordinal);
        }

        types.Add(type);
    }

    public EvaluationResult Result()
    {
        var benign = _truth.Where(kv => kv.Value == TrafficLabels.Benign).Select(kv => kv.Key).ToList();
        var attackers = _truth.Where(kv => kv.Value != TrafficLabels.Benign).ToList();
        var benignFlagged = benign.Count(ip => _firstDetected.ContainsKey(ip));
        var overall = Metrics(attackers.Select(kv => kv.Key).ToList(), benign.Count, benignFlagged, flaggedForClass: _firstDetected.Keys.ToList());

        var classes = new SortedDictionary<string, ClassMetrics>(StringComparer.Ordinal);
        foreach (var cls in attackers.Select(kv => kv.Value).Distinct())
        {
            var members = attackers.Where(kv => kv.Value == cls).Select(kv => kv.Key).ToList();
            var flagged = _typesByEntity.Where(kv => kv.Value.Contains(cls)).Select(kv => kv.Key).ToList();
            var fp = flagged.Count(ip => _truth.GetValueOrDefault(ip) == TrafficLabels.Benign);
            classes[cls] = Metrics(members, benign.Count, fp, flagged);
        }

        var byType = _typesByEntity.Values.SelectMany(t => t).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new EvaluationResult(overall, classes, benign.Count, _events, byType);
    }

    private ClassMetrics Metrics(List<string> members, int benignCount, int benignFlagged, List<string> flaggedForClass)
    {
        var detected = members.Where(_firstDetected.ContainsKey).ToList();
        var ttd = detected.Select(ip => (_firstDetected[ip] - _firstSeen[ip]) / (double)TimeSpan.TicksPerSecond).Order().ToList();
        var flaggedAttack = flaggedForClass.Count(ip => _truth.GetValueOrDefault(ip, TrafficLabels.Benign) != TrafficLabels.Benign);
        return new ClassMetrics(
            members.Count,
            detected.Count,
            benignFlagged,
            flaggedForClass.Count == 0 ? 1 : Math.Round(flaggedAttack / (double)flaggedForClass.Count, 4),
            members.Count == 0 ? 1 : Math.Round(detected.Count / (double)members.Count, 4),
            benignCount == 0 ? 0 : Math.Round(benignFlagged / (double)benignCount, 5),
            ttd.Count == 0 ? null : Math.Round(ttd.Count % 2 == 1 ? ttd[ttd.Count / 2] : (ttd[(ttd.Count / 2) - 1] + ttd[ttd.Count / 2]) / 2, 1));
    }
}
