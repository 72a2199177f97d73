using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>Runs the engine (rules only) over a synthetic request.</summary>
internal static class Inspect
{
    private static readonly InspectionEngine Engine = new(new InspectionOptions { ModelPath = null }, model: null);

    public static InspectionVerdict Query(string rawQuery, string path = "/search") =>
        Run(new InspectionInput("GET", path, rawQuery, new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false));

    public static InspectionVerdict Param(string value) => Query("q=" + Uri.EscapeDataString(value));

    public static InspectionVerdict Path(string rawPath) =>
        Run(new InspectionInput("GET", rawPath, null, new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false));

    public static InspectionVerdict Json(string json) => Body(json, "application/json");

    public static InspectionVerdict Body(string body, string contentType) =>
        Run(new InspectionInput("POST", "/api", null, new HeaderDictionary(), System.Text.Encoding.UTF8.GetBytes(body), contentType, false));

    public static InspectionVerdict Headers(HeaderDictionary headers) =>
        Run(new InspectionInput("GET", "/", null, headers, ReadOnlyMemory<byte>.Empty, null, false));

    public static InspectionVerdict Run(InspectionInput input, InspectionExclusions? exclusions = null)
    {
        var findings = new FindingSet();
        findings.Reset(exclusions);
        return Engine.Inspect(input, findings, useModel: false);
    }

    public static bool Blocks(this InspectionVerdict v) => v.Score >= InspectionDefaults.Threshold;

    /// <summary>
    /// Asserts that <paramref name="payload"/> is blocked in each named place a client can put it, and, when
    /// <paramref name="rule"/> is given, that this rule is among the findings.
    /// </summary>
    public static void AssertBlockedIn(string payload, string? rule, params string[] places)
    {
        foreach (var place in places)
        {
            var verdict = In(place, payload);
            Assert.True((rule is null || verdict.Rules.Contains(rule)) && verdict.Blocks(),
                $"{place}: {payload} scored {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        }
    }

    /// <summary>The verdict on a request that carries <paramref name="payload"/> in <paramref name="place"/>, encoded as a client sends it there.</summary>
    public static InspectionVerdict In(string place, string payload)
    {
        var encoded = Uri.EscapeDataString(payload);
        var json = System.Text.Json.JsonSerializer.Serialize(payload);
        var xml = System.Security.SecurityElement.Escape(payload);
        return place switch
        {
            "query-value" => Param(payload),
            "query-name" => Query(encoded + "=1"),
            "header" => Headers(new HeaderDictionary { ["X-Note"] = encoded }),
            "cookie-value" => Headers(new HeaderDictionary { ["Cookie"] = "theme=dark; pref=" + encoded }),
            "json-key" => Json("{\"order\":{\"filters\":{" + json + ":\"1\"}}}"),
            "json-value" => Json("{\"note\":" + json + "}"),
            "form-value" => Body("note=" + encoded, "application/x-www-form-urlencoded"),
            "xml-text" => Body("<note>" + xml + "</note>", "application/xml"),
            "xml-attribute" => Body("<order><item note=\"" + xml + "\"/></order>", "application/xml"),
            _ => throw new ArgumentOutOfRangeException(nameof(place), place, "not a place these tests know"),
        };
    }
}
