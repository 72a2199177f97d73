using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Ingest;
using Analytics.Messaging;

namespace Analytics.Detection.Evaluation;

/// <summary>Metrics of one class (or overall), counted per client-IP entity.</summary>
internal sealed record ClassMetrics(int Entities, int Detected, int FalsePositives, double Precision, double Recall, double Fpr, double? MedianTimeToDetectSeconds, double? MaxTimeToDetectSeconds = null);

/// <summary>Evaluation outcome: overall and per attack class.</summary>
internal sealed record EvaluationResult(ClassMetrics Overall, IReadOnlyDictionary<string, ClassMetrics> Classes, int BenignEntities, long Events, IReadOnlyDictionary<string, int> DetectionsByType)
{
    /// <summary>Per generator variant (the actor name without its numbers, e.g. <c>brute_force-lowslow</c>), when the file names actors.</summary>
    public IReadOnlyDictionary<string, ClassMetrics> Variants { get; init; } = new Dictionary<string, ClassMetrics>();

    /// <summary>Benign populations (actor variants) with their entity counts and how many were flagged.</summary>
    public IReadOnlyDictionary<string, (int Entities, int Flagged)> BenignPopulations { get; init; } = new Dictionary<string, (int, int)>();

    /// <summary>Every range that was decided on or alerted about, with the labelled addresses inside it.</summary>
    public IReadOnlyList<RangeOutcome> Ranges { get; init; } = [];

    /// <summary>Benign addresses inside a range that was decided on (blocked or throttled): the collateral of range decisions.</summary>
    public int Collateral { get; init; }
}

/// <summary>One range named by a decision or an alert, and the labelled addresses it covered.</summary>
internal sealed record RangeOutcome(string Range, bool Decided, int Attackers, int Benign, string Types);

/// <summary>
/// Runs labelled events through a pipeline and scores it per client IP: an entity counts as
/// detected when any decision or alert names it, or names a range (<c>cidr</c>) that holds it
/// (a benign address inside such a range is a false positive). Recall of a class is the share of its entities
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
    private readonly Dictionary<string, string> _actors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (System.Net.IPNetwork Network, long FirstTicks, bool Decided, HashSet<string> Types)> _ranges = new(StringComparer.Ordinal);
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
        _firstSeen.TryAdd(ip, ticks);

        var truth = CsvLabels is not null
            ? CsvLabels.GetValueOrDefault(ip, TrafficLabels.Benign)
            : input.Label == TrafficLabels.Attack || input.AttackClass is { Length: > 0 } ? input.AttackClass ?? "attack" : TrafficLabels.Benign;
        // One lookup per event: the slot is found or added, then written when the label is news.
        ref var known = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_truth, ip, out var exists);
        if (!exists || known == TrafficLabels.Benign)
        {
            known = truth;
        }

        if (input.Actor is { Length: > 0 } actor)
        {
            _actors.TryAdd(ip, actor);
        }

        _outcomes.Clear();
        pipeline.Process(e, _outcomes);
        foreach (var o in _outcomes)
        {
            Record(o.Alert.Entity, o.Alert.Type, ticks, o.Decision is not null || o.Alert.DecisionId is not null);
            if (o.Decision is { } d && d.Key != o.Alert.Entity)
            {
                Record(d.Key, o.Alert.Type, ticks, decided: true);
            }
        }

        return _outcomes;
    }

    private void Record(string entity, string type, long ticks, bool decided)
    {
        if (entity.StartsWith("cidr:", StringComparison.Ordinal))
        {
            if (_ranges.TryGetValue(entity, out var known))
            {
                known.Types.Add(type);
                _ranges[entity] = known with { Decided = known.Decided || decided };
            }
            else if (System.Net.IPNetwork.TryParse(entity.AsSpan(5), out var network))
            {
                _ranges[entity] = (network, ticks, decided, new HashSet<string>(StringComparer.Ordinal) { type });
            }

            return;
        }

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
        var (rangeOutcomes, collateral) = ApplyRanges();
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

        var variants = new SortedDictionary<string, ClassMetrics>(StringComparer.Ordinal);
        foreach (var group in attackers.Where(kv => _actors.ContainsKey(kv.Key)).GroupBy(kv => Variant(_actors[kv.Key])))
        {
            var members = group.Select(kv => kv.Key).ToList();
            variants[group.Key] = Metrics(members, benign.Count, 0, members);
        }

        var populations = new SortedDictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var group in benign.Where(_actors.ContainsKey).GroupBy(ip => Variant(_actors[ip])))
        {
            populations[group.Key] = (group.Count(), group.Count(_firstDetected.ContainsKey));
        }

        var byType = _typesByEntity.Values.SelectMany(t => t).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new EvaluationResult(overall, classes, benign.Count, _events, byType)
        {
            Variants = variants,
            BenignPopulations = populations,
            Ranges = rangeOutcomes,
            Collateral = collateral,
        };
    }

    /// <summary>
    /// Every labelled address inside a range that was decided on or alerted about counts as
    /// detected by it, from the later of the range's first detection and the address's first event.
    /// </summary>
    private (List<RangeOutcome> Ranges, int Collateral) ApplyRanges()
    {
        var outcomes = new List<RangeOutcome>();
        if (_ranges.Count == 0)
        {
            return (outcomes, 0);
        }

        var addresses = new List<(string Ip, System.Net.IPAddress Address)>();
        foreach (var ip in _truth.Keys)
        {
            if (System.Net.IPAddress.TryParse(ip, out var a))
            {
                addresses.Add((ip, a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a));
            }
        }

        var collateral = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, r) in _ranges.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            int attackers = 0, benign = 0;
            foreach (var (ip, address) in addresses)
            {
                if (!r.Network.Contains(address))
                {
                    continue;
                }

                var isBenign = _truth[ip] == TrafficLabels.Benign;
                if (isBenign)
                {
                    benign++;
                    if (r.Decided)
                    {
                        collateral.Add(ip);
                    }
                }
                else
                {
                    attackers++;
                }

                var at = Math.Max(r.FirstTicks, _firstSeen[ip]);
                _firstDetected[ip] = _firstDetected.TryGetValue(ip, out var t) ? Math.Min(t, at) : at;
                if (!_typesByEntity.TryGetValue(ip, out var types))
                {
                    _typesByEntity[ip] = types = new HashSet<string>(StringComparer.Ordinal);
                }

                types.UnionWith(r.Types);
            }

            outcomes.Add(new RangeOutcome(key[5..], r.Decided, attackers, benign, string.Join(",", r.Types.Order(StringComparer.Ordinal))));
        }

        return (outcomes, collateral.Count);
    }

    /// <summary>The actor's population or variant: its name without the trailing numbers (<c>nat-3</c> → <c>nat</c>).</summary>
    internal static string Variant(string actor)
    {
        var span = actor.AsSpan();
        while (span.LastIndexOf('-') is var dash and > 0 && span[(dash + 1)..] is { Length: > 0 } tail && IsDigits(tail))
        {
            span = span[..dash];
        }

        return span.ToString();

        static bool IsDigits(ReadOnlySpan<char> s)
        {
            foreach (var c in s)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            return true;
        }
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
            ttd.Count == 0 ? null : Math.Round(ttd.Count % 2 == 1 ? ttd[ttd.Count / 2] : (ttd[(ttd.Count / 2) - 1] + ttd[ttd.Count / 2]) / 2, 1),
            ttd.Count == 0 ? null : Math.Round(ttd[^1], 1));
    }
}
