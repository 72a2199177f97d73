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
}
