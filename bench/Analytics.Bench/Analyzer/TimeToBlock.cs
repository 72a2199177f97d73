using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Analytics.Analyzer;
using Analytics.Detection;
using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.Detection.Model;
using Analytics.Traffic;
using Analytics.Messaging;

namespace Analytics.Bench.Analyzer;

/// <summary>
/// Measured mode: time to block in simulated (event) time. Generates the stealthy mix on a seed
/// that thresholds were not tuned on, runs it through the analyzer's pipeline (features, rules,
/// model, decisions) with and without the model, and reports per attack variant how long after
/// its first request an attacker was first covered by an enforced block decision (an <c>ip</c>
/// decision on one of its addresses, or a <c>cidr</c> decision holding one), as median, p95 and
/// max, plus the same per address (a botnet address first seen after its /24 was blocked counts 0).
/// Enforced decisions count: <c>block</c> (403) and <c>throttle</c> (a tightened rate limit, 429;
/// the scraping rules' default), each variant saying which it got. Simulated decisions and
/// alerts without a decision do not count.
/// </summary>
internal static partial class TimeToBlock
{
    public static int Run(string[] args)
    {
        var seed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 29;
        // Per N the generator makes N low-and-slow brute forcers, N slow scrapers, N/2 botnets and N/4
        // IPv6 rotators: N = 18 gives 49 stealthy attackers (18 + 18 + 9 + 4), N = 20 gives 55.
        var n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 18;
        var options = new TrafficOptions
        {
            Seed = seed,
            Duration = TimeSpan.FromMinutes(90),
            BrowsingUsers = 1200,
            Stealthy = true,
            AttackersPerClass = n,
        };
        var events = TrafficGenerator.Generate(options).ToList();
        var stealthy = events.Where(e => e.Label != TrafficLabels.Benign && IsStealthy(e.Actor)).Select(e => Attacker(e.Actor)).Distinct().Count();
        Console.WriteLine($"seed {seed}, N = {n}: {events.Count:N0} events, {stealthy} stealthy attackers; simulated time");

        var model = ModelHolder.Resolve("models/default.zip") is { } path ? ModelHolder.FromFile(path) : null;
        foreach (var withModel in new[] { true, false })
        {
            if (withModel && model is null)
            {
                Console.WriteLine("(models/default.zip not found: run from the repository root for the model run)");
                continue;
            }

            Console.WriteLine();
            Console.WriteLine(withModel ? "## rules + model" : "## rules only");
            Report(Measure(events, PipelineFactory.Create(new AnalyzerOptions(), withModel ? model : null, TimeProvider.System)));
        }

        return 0;
    }

    private sealed record Block(IPNetwork Network, long Ticks, string Action);

    private sealed record Result(Dictionary<string, List<double?>> ActorSeconds, Dictionary<string, List<double?>> AddressSeconds, Dictionary<string, SortedSet<string>> Actions);

    private static Result Measure(List<LabelledEvent> events, AnalyzerPipeline pipeline)
    {
        var outcomes = new List<AnalyzerOutcome>();
        var blocks = new List<Block>();
        var firstSeen = new Dictionary<string, long>(StringComparer.Ordinal);
        var actorFirst = new Dictionary<string, long>(StringComparer.Ordinal);
        var actorAddresses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var le in events)
        {
            var e = le.Event;
            var ticks = e.Timestamp.UtcTicks;
            firstSeen.TryAdd(e.ClientIp, ticks);
            if (le.Label != TrafficLabels.Benign)
            {
                var attacker = Attacker(le.Actor);
                actorFirst.TryAdd(attacker, ticks);
                if (!actorAddresses.TryGetValue(attacker, out var set))
                {
                    actorAddresses[attacker] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(e.ClientIp);
            }

            outcomes.Clear();
            pipeline.Process(e, outcomes);
            foreach (var o in outcomes)
            {
                if (o.Decision is { Action: DecisionActions.Block or DecisionActions.Throttle, Simulated: false } d && Network(d) is { } network)
                {
                    // Event time of the event that crossed the threshold: the decision's Created is wall time.
                    blocks.Add(new Block(network, ticks, d.Action));
                }
            }
        }

        var actions = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        double? BlockedAfter(string address, long from, string variant)
        {
            if (!IPAddress.TryParse(address, out var ip))
            {
                return null;
            }

            Block? first = null;
            foreach (var b in blocks)
            {
                if (b.Network.Contains(ip) && (first is null || b.Ticks < first.Ticks))
                {
                    first = b;
                }
            }

            if (first is null)
            {
                return null;
            }

            if (!actions.TryGetValue(variant, out var set))
            {
                actions[variant] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(first.Action);
            return Math.Max(0, first.Ticks - from) / (double)TimeSpan.TicksPerSecond;
        }

        var perActor = new Dictionary<string, List<double?>>(StringComparer.Ordinal);
        var perAddress = new Dictionary<string, List<double?>>(StringComparer.Ordinal);
        foreach (var (actor, addresses) in actorAddresses)
        {
            var variant = Variant(actor);
            double? actorBlock = null;
            foreach (var address in addresses)
            {
                var own = BlockedAfter(address, firstSeen[address], variant);
                Add(perAddress, variant, own);
                if (BlockedAfter(address, actorFirst[actor], variant) is { } s && (actorBlock is null || s < actorBlock))
                {
                    actorBlock = s;
                }
            }

            Add(perActor, variant, actorBlock);
        }

        return new Result(perActor, perAddress, actions);
    }

    private static void Add(Dictionary<string, List<double?>> map, string key, double? value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }

    private static IPNetwork? Network(Decision d) => d.Scope switch
    {
        "ip" when IPAddress.TryParse(d.Value, out var ip) => new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128),
        "cidr" when IPNetwork.TryParse(d.Value, out var network) => network,
        _ => null,
    };

    private static void Report(Result r)
    {
        Console.WriteLine("| variant | enforced by | attackers | enforced | median / p95 / max (s) | addresses | enforced | median / p95 / max per address (s) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var variant in r.ActorSeconds.Keys.Order(StringComparer.Ordinal))
        {
            var actors = r.ActorSeconds[variant];
            var addresses = r.AddressSeconds[variant];
            var how = r.Actions.TryGetValue(variant, out var set) ? string.Join(", ", set) : "-";
            Console.WriteLine($"| {(IsStealthy(variant) ? "**" + variant + "**" : variant)} | {how} | {actors.Count} | {actors.Count(a => a is not null)} | {Summary(actors)} | {addresses.Count} | {addresses.Count(a => a is not null)} | {Summary(addresses)} |");
        }
    }

    private static string Summary(List<double?> values)
    {
        var blocked = values.Where(v => v is not null).Select(v => v!.Value).Order().ToList();
        if (blocked.Count == 0)
        {
            return "-";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Percentile(blocked, 0.5):0.0} / {Percentile(blocked, 0.95):0.0} / {blocked[^1]:0.0}");
    }

    // Nearest rank: the smallest value with at least p of the values at or below it.
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Variant(string actor) => TrailingNumbers().Replace(actor, "");

    // A botnet's or a rotation's actors are its addresses (name-i-k): the attacker is name-i.
    private static string Attacker(string actor) =>
        actor.StartsWith("credential_stuffing-botnet24-", StringComparison.Ordinal) || actor.StartsWith("scraping-ipv6rotation-", StringComparison.Ordinal)
            ? LastNumber().Replace(actor, "")
            : actor;

    private static bool IsStealthy(string actorOrVariant) =>
        actorOrVariant.StartsWith("brute_force-lowslow", StringComparison.Ordinal) || actorOrVariant.StartsWith("scraping-slow", StringComparison.Ordinal)
        || actorOrVariant.StartsWith("credential_stuffing-botnet24", StringComparison.Ordinal) || actorOrVariant.StartsWith("scraping-ipv6rotation", StringComparison.Ordinal);

    [GeneratedRegex(@"(-\d+)+$")]
    private static partial Regex TrailingNumbers();

    [GeneratedRegex(@"-\d+$")]
    private static partial Regex LastNumber();
}
