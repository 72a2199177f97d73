using System.Text.Json.Serialization;
using Analytics.Inspection;
using Analytics.Inspection.Detectors;

namespace Analytics.Tools.Inspect;

/// <summary>Counts for recall, false-positive rate and precision, per attack class and overall.</summary>
internal sealed class Evaluation
{
    private readonly SortedDictionary<string, Tally> _classes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Tally> _sources = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Tally> _families = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Tally> _locations = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Tally> _familyLocations = new(StringComparer.Ordinal);
    private readonly Tally _overall = new();

    public void Add(ReplayRecord record, bool flagged)
    {
        _overall.Add(record.IsAttack, flagged);
        var cls = record.IsAttack ? record.AttackClass ?? "unknown" : "benign";
        Get(_classes, cls).Add(record.IsAttack, flagged);
        Get(_sources, record.Source).Add(record.IsAttack, flagged);
        var location = record.Location;
        Get(_locations, location).Add(record.IsAttack, flagged);
        if (record.IsAttack)
        {
            var family = Family(record.AttackClass);
            Get(_families, family).Add(true, flagged);
            Get(_familyLocations, family + " @ " + location).Add(true, flagged);
            if (record.AttackClass == "ldap-injection" && record.Payload is { } payload)
            {
                Get(_families, HasLdapFilterSyntax(payload) ? LdapFilterSyntax : LdapBareValues).Add(true, flagged);
            }
        }
        else if (location == "query-name" && record.Payload is { } name && BenignNames.IsHeldOut(name))
        {
            // The names the model's name view never trained on: its honest false-positive rate on unfamiliar names.
            Get(_locations, "query-name (held-out names)").Add(false, flagged);
        }
    }

    /// <summary>The LDAP payloads that are an injection at all, reported on their own: the rest of the list is bare attribute names and single characters.</summary>
    public const string LdapFilterSyntax = "ldap-injection (filter syntax)";

    /// <summary>The rest of the LDAP list: attribute names, wildcards and single characters, values wherever they are placed.</summary>
    public const string LdapBareValues = "ldap-injection (bare values)";

    /// <summary>
    /// LDAP filter syntax: a parenthesis together with an operator (<c>|</c>, <c>&amp;</c>,
    /// <c>!</c>) or a comparison (<c>=</c>), after percent-decoding (<c>*)(uid=*</c>,
    /// <c>*()|&amp;'</c>, <c>*))%00</c> has a parenthesis and a NUL), and after RFC 4515 escapes
    /// (<c>\2a\29\28|\28uid=\2a</c>). Bare attribute names (<c>cn</c>), wildcards (<c>admin*</c>) and
    /// single characters have none.
    /// </summary>
    public static bool HasLdapFilterSyntax(string payload)
    {
        var s = System.Net.WebUtility.UrlDecode(payload);
        s = LdapInjectionDetector.UnescapeFilterChars(s) ?? s;
        var parens = s.Count(c => c is '(' or ')');
        return parens > 0 && (s.IndexOfAny(['|', '&', '!', '=', '\0', '\\']) >= 0 || (parens >= 2 && s.Contains('*', StringComparison.Ordinal)));
    }

    /// <summary>
    /// The OWASP Core Rule Set family an attack class belongs to (its rule file's number); the
    /// classes CRS has no file for keep their own name.
    /// </summary>
    public static string Family(string? attackClass) => attackClass switch
    {
        "scanner" => "913-scanner",
        "protocol" => "920-protocol",
        "crlf-injection" => "921-protocol-attack",
        "path-traversal" or "lfi" => "930-lfi-traversal",
        "rfi" => "931-rfi",
        "command-injection" => "932-rce",
        "php-injection" => "933-php",
        "generic-injection" or "ssti" or "nosql-injection" => "934-generic",
        "xss" => "941-xss",
        "sqli" => "942-sqli",
        "session-fixation" => "943-session-fixation",
        "java-injection" => "944-java",
        null => "unknown",
        _ => attackClass,
    };

    private static Tally Get(SortedDictionary<string, Tally> map, string key)
    {
        if (!map.TryGetValue(key, out var t))
        {
            t = new Tally();
            map[key] = t;
        }

        return t;
    }

    public EvaluationReport Report() => new()
    {
        Overall = _overall.Metrics(),
        Classes = _classes.ToDictionary(kv => kv.Key, kv => kv.Value.Metrics()),
        Sources = _sources.ToDictionary(kv => kv.Key, kv => kv.Value.Metrics()),
        Families = _families.ToDictionary(kv => kv.Key, kv => kv.Value.Metrics()),
        Locations = _locations.ToDictionary(kv => kv.Key, kv => kv.Value.Metrics()),
        FamilyLocations = _familyLocations.ToDictionary(kv => kv.Key, kv => kv.Value.Metrics()),
    };

    private sealed class Tally
    {
        public int Attacks;
        public int Detected;
        public int Benign;
        public int FalsePositives;

        public void Add(bool attack, bool flagged)
        {
            if (attack)
            {
                Attacks++;
                Detected += flagged ? 1 : 0;
            }
            else
            {
                Benign++;
                FalsePositives += flagged ? 1 : 0;
            }
        }

        public Metrics Metrics() => new()
        {
            Attacks = Attacks,
            Benign = Benign,
            Detected = Detected,
            FalsePositives = FalsePositives,
            Recall = Attacks == 0 ? null : Math.Round((double)Detected / Attacks, 4),
            Fpr = Benign == 0 ? null : Math.Round((double)FalsePositives / Benign, 4),
            Precision = Detected + FalsePositives == 0 ? null : Math.Round((double)Detected / (Detected + FalsePositives), 4),
        };
    }
}

/// <summary>Recall, FPR and precision with the counts behind them.</summary>
internal sealed class Metrics
{
    [JsonPropertyName("precision")] public double? Precision { get; init; }
    [JsonPropertyName("recall")] public double? Recall { get; init; }
    [JsonPropertyName("fpr")] public double? Fpr { get; init; }
    [JsonPropertyName("attacks")] public int Attacks { get; init; }
    [JsonPropertyName("detected")] public int Detected { get; init; }
    [JsonPropertyName("benign")] public int Benign { get; init; }
    [JsonPropertyName("false_positives")] public int FalsePositives { get; init; }
}

/// <summary>The <c>--report</c> file: overall, per attack class (benign requests under <c>benign</c>), per source, per CRS family and per location.</summary>
internal sealed class EvaluationReport
{
    [JsonPropertyName("overall")] public Metrics Overall { get; init; } = new();
    [JsonPropertyName("classes")] public Dictionary<string, Metrics> Classes { get; init; } = [];
    [JsonPropertyName("sources")] public Dictionary<string, Metrics> Sources { get; init; } = [];
    [JsonPropertyName("families")] public Dictionary<string, Metrics> Families { get; init; } = [];
    [JsonPropertyName("locations")] public Dictionary<string, Metrics> Locations { get; init; } = [];
    [JsonPropertyName("family_locations")] public Dictionary<string, Metrics> FamilyLocations { get; init; } = [];
    [JsonPropertyName("threshold")] public int Threshold { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("rules_only")] public EvaluationReport? RulesOnly { get; set; }
}

/// <summary>One line of the <c>--verdicts</c> file.</summary>
internal sealed class VerdictLine
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("score")] public int Score { get; init; }
    [JsonPropertyName("action")] public string Action { get; init; } = "allow";
    [JsonPropertyName("rules")] public string[] Rules { get; init; } = [];
    [JsonPropertyName("model_probability")] public double? ModelProbability { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(VerdictLine))]
internal sealed partial class EvaluationJson : JsonSerializerContext;
