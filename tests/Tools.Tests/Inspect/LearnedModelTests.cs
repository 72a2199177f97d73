using System.Globalization;
using System.Text;
using Analytics.Inspection;
using Analytics.Inspection.Model;
using Analytics.Tools.Inspect;
using Microsoft.AspNetCore.Http;

namespace Analytics.Tools.Tests.Inspect;

/// <summary>
/// The shipped learned model on requests of APIs it never saw. Its training data come from
/// one Spanish shop and payload lists; routes use it by default, so ordinary requests of any
/// other API (Inspect/Data/generic-api-benign.jsonl: pagination, search text with quotes,
/// e-mail addresses, dates, UUIDs, tokens, URLs, nested JSON, other languages) must not be
/// blocked by rules + model at a route's default threshold, while attacks still are.
/// </summary>
public sealed class LearnedModelTests
{
    private static readonly Lazy<InspectionEngine> Engine = new(() =>
    {
        var path = ModelPath.Resolve(new InspectionOptions().ModelPath!, AppContext.BaseDirectory)
            ?? throw new FileNotFoundException("models/inspection-model.zip is not next to the test assembly; the Sidecar project copies it there.");
        var model = LearnedScorer.Load(path, ModelCard.TryRead(path)?.Threshold ?? 0.5);
        return new InspectionEngine(new InspectionOptions(), model);
    });

    private static InspectionVerdict Run(InspectionInput input, bool useModel = true)
    {
        var findings = new FindingSet();
        findings.Reset(null);
        return Engine.Value.Inspect(input, findings, useModel);
    }

    private static InspectionInput Get(string query) =>
        new("GET", "/api/products", query, new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false);

    private static InspectionInput Json(string json) =>
        new("POST", "/api/orders", null, new HeaderDictionary(), Encoding.UTF8.GetBytes(json), "application/json", false);

    [Fact]
    public void Generic_api_requests_are_not_blocked_with_the_model()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Inspect", "Data", "generic-api-benign.jsonl");
        var records = ReplayRecord.Read(file).ToList();
        Assert.True(records.Count >= 150, $"only {records.Count} requests in {file}");

        var blocked = new List<string>();
        var scored = 0;
        foreach (var record in records)
        {
            var verdict = Run(record.ToInput(InspectionDefaults.MaxBodyBytes));
            scored += verdict.ModelProbability is null ? 0 : 1;
            if (verdict.Score >= InspectionDefaults.Threshold)
            {
                var p = verdict.ModelProbability?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-";
                blocked.Add($"{record.Id} {record.Method} {record.Uri}: score {verdict.Score}, model {p}, rules {string.Join(',', verdict.Rules)}");
            }
        }

        // Most of them have values, so the model did judge them (not a vacuous pass).
        Assert.True(scored >= 140, $"the model scored only {scored} of {records.Count}");
        Assert.True(blocked.Count == 0, "blocked benign requests:\n" + string.Join('\n', blocked));
    }

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("Rock 'n' roll")]
    [InlineData("select your option from the list")]
    [InlineData("necklace 16\" or 18\"")]
    [InlineData("Apt is gated; call when you get here")]
    [InlineData("where's my order #1234?")]
    [InlineData("2024-05-01T10:00:00+02:00")]
    [InlineData("https://www.example.com/blog/post?id=5")]
    public void Lookalike_values_are_not_blocked_with_the_model(string value) =>
        Assert.True(Run(Get("q=" + Uri.EscapeDataString(value))).Score < InspectionDefaults.Threshold, value);

    /// <summary>
    /// Parameter names of real APIs, none of them in the training data, with ordinary values: the
    /// shipped model before the name symbol flagged names that end like CSIC's altered ones
    /// (<c>agenda=1</c>, <c>area=2</c>, <c>data=en</c> at 0.8-0.99) and 23% of such pairs.
    /// </summary>
    [Theory]
    [InlineData("utm_source=newsletter&utm_medium=email&utm_campaign=summer_sale")]
    [InlineData("filter[name]=bob&filter[status]=active")]
    [InlineData("sort-by=price&order=desc")]
    [InlineData("q=red+shoes")]
    [InlineData("$select=name,id&$top=10")]
    [InlineData("fields[]=name&fields[]=email")]
    [InlineData("_=1733131200000")]
    [InlineData("callback=jQuery3510_1733131200000")]
    [InlineData("select=name")]
    [InlineData("union_id=42")]
    [InlineData("lang=en")]
    [InlineData("locale=de")]
    [InlineData("agenda=1")]
    [InlineData("area=2")]
    [InlineData("data=en")]
    [InlineData("media=1")]
    [InlineData("camera=asc")]
    [InlineData("lambda=2")]
    [InlineData("persona=1")]
    [InlineData("moneda=EUR")]
    [InlineData("zona=norte")]
    [InlineData("Inmaculada=1")]
    [InlineData("page=1&Vada=1")]
    [InlineData("fbclid=IwAR2xyz&gclid=Cj0KCQ")]
    [InlineData("include=author,comments&expand=items")]
    [InlineData("cursor=eyJpZCI6NDJ9&limit=50")]
    public void Benign_real_names_are_not_blocked_with_the_model(string query) =>
        Assert.True(Run(Get(query)).Score < InspectionDefaults.Threshold, $"{query}: model {Run(Get(query)).ModelProbability}");

    /// <summary>
    /// Numbers and field lists in the shapes APIs give them. The model before issue 13's fifth pass
    /// flagged <c>_=1699999999999</c> and <c>ts=1700000000000</c> (it had learned the digits of the
    /// payload lists' <c>9999=9999</c> and <c>-1 union …</c>) and <c>q=-created_at</c> (a leading '-' under
    /// the free-text name); the numbers are now read by their length, and such values are trained as benign.
    /// The sixth pass reads a signed number (<c>q=-1</c>, flagged at 0.81 before) by its length too, with its sign.
    /// </summary>
    [Theory]
    [InlineData("_=1699999999999")]
    [InlineData("_=1699999999")]
    [InlineData("ts=1700000000000")]
    [InlineData("since=1699999999&until=1733131200")]
    [InlineData("q=-created_at")]
    [InlineData("q=-id")]
    [InlineData("sort=-updated_at,name")]
    [InlineData("order=-id")]
    [InlineData("fields=-id")]
    [InlineData("sort=-created,title")]
    [InlineData("page%5Bsize%5D=20&sort=-published_at")]
    [InlineData("q=shoes%20-red")]
    [InlineData("amount=-5&offset=-100")]
    [InlineData("lat=-33.8688&lng=151.2093")]
    [InlineData("page=99999&_=1699999999999")]
    [InlineData("q=-1")]
    [InlineData("q=-5")]
    [InlineData("q=-40")]
    [InlineData("q=-999")]
    [InlineData("q=-1.5")]
    [InlineData("search=-273.15")]
    public void Numbers_and_sort_expressions_are_not_blocked_with_the_model(string query) =>
        Assert.True(Run(Get(query)).Score < InspectionDefaults.Threshold, $"{query}: model {Run(Get(query)).ModelProbability}");

    [Theory]
    [InlineData("q=1%20OR%209999%3D9999")]
    [InlineData("q=9999%20or%209999%3D9999--")]
    [InlineData("q=-1%20union%20select%201,2")]
    [InlineData("id=1699999999999%20union%20select%20null")]
    [InlineData("q=-created_at%27--")]
    [InlineData("sort=-created_at%27--")]
    [InlineData("_=1699999999999%27%20AND%20%271%27%3D%271")]
    [InlineData("id=-1%20OR%201%3D1")]
    [InlineData("q=-1%27")]
    [InlineData("q=-1%22")]
    [InlineData("q=-1)")]
    [InlineData("q=-5%27%20or%20%271%27%3D%271")]
    [InlineData("order=-id%3Bdrop%20table%20users")]
    public void Attacks_that_look_like_numbers_and_sort_expressions_are_blocked(string query) =>
        Assert.True(Run(Get(query)).Score >= InspectionDefaults.Threshold, $"{query}: model {Run(Get(query)).ModelProbability}");

    [Theory]
    [InlineData("utm_source=" + "%27%20OR%201%3D1--")]
    [InlineData("filter[name]=%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("callback=..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("agenda=1%27%20UNION%20SELECT%20password%20FROM%20users--")]
    public void Attacks_under_those_names_are_blocked(string query) =>
        Assert.True(Run(Get(query)).Score >= InspectionDefaults.Threshold, query);

    [Theory]
    [InlineData("{\"email\":\"admin@example.com' OR '1'='1\",\"password\":\"x\"}")]
    [InlineData("{\"notes\":\"x\\\" onmouseover=\\\"alert(1)\"}")]
    [InlineData("{\"comment\":\"<img src=x onerror=alert(1)>\"}")]
    [InlineData("{\"host\":\"example.com; cat /etc/shadow\"}")]
    public void Attacks_in_json_bodies_are_blocked(string json) =>
        Assert.True(Run(Json(json)).Score >= InspectionDefaults.Threshold, json);

    [Theory]
    [InlineData("page=2%20UNION%20SELECT%20username,password%20FROM%20users")]
    [InlineData("file=..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("id=1%20AND%20SLEEP(5)")]
    public void Attacks_in_queries_are_blocked(string query) =>
        Assert.True(Run(Get(query)).Score >= InspectionDefaults.Threshold, query);

    [Fact]
    public void The_model_blocks_what_the_rules_miss()
    {
        // A lone quote after a number, the first probe of SQL injection, which the rules let through (it is
        // also how an inch or a foot is written); the model learned its syntax. (Until the sixth pass of issue 13
        // this was the parenthesised tautology ') or ('x')=('x, which the rules now catch.)
        var input = Get("q=" + Uri.EscapeDataString("1'"));
        Assert.True(Run(input, useModel: false).Score < InspectionDefaults.Threshold);
        var verdict = Run(input);
        Assert.Contains(InspectionEngine.ModelRule.Id, verdict.Rules);
        Assert.True(verdict.Score >= InspectionDefaults.Threshold);
    }

    [Fact]
    public void Requests_without_values_are_not_scored()
    {
        var status = Run(new InspectionInput("GET", "/api/status", null, new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false));
        Assert.Null(status.ModelProbability);
        Assert.Equal(0, status.Score);

        var empty = Run(Get("page=&sort="));
        Assert.Null(empty.ModelProbability);

        var scored = Run(Get("page=2&sort=price"));
        Assert.NotNull(scored.ModelProbability);
    }

    [Fact]
    public void Repeated_records_score_as_the_trainer_reads_them()
    {
        // The proxy remembers the last units it scored and adds their sums again; the trainer hashes every unit.
        var records = string.Join(',', Enumerable.Range(0, 40).Select(i =>
            $"{{\"id\":{i},\"name\":\"Item {i % 3}\",\"note\":\"Deliver to the back door\",\"tag\":\"{(i % 11 == 0 ? "x' or 'a'='a" : "plain")}\"}}"));
        var input = Json("{\"items\":[" + records + "]}");
        var (units, _) = Engine.Value.ModelUnits(input);
        Assert.Equal(120, units.Count);
        Assert.Equal(Engine.Value.Model!.Probability(units)!.Value, Run(input).ModelProbability!.Value, 12);
    }

    [Fact]
    public void The_proxy_scorer_agrees_with_the_trainer_text()
    {
        // The proxy sums n-gram weights value by value; training featurises the same units together.
        var (units, _) = Engine.Value.ModelUnits(Get("page=2&sort=price&q=" + Uri.EscapeDataString("O'Brien")));
        Assert.Equal(["\u0002page=2\u0003", "\u0002sort=price\u0003", "\u0002q=O'Brien\u0003"], units);
        var expected = Engine.Value.Model!.Probability(units);
        Assert.NotNull(expected);
        Assert.Equal(expected.Value, Run(Get("page=2&sort=price&q=" + Uri.EscapeDataString("O'Brien"))).ModelProbability!.Value, 12);
    }
}
