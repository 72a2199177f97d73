using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Inspection;

/// <summary>A request as inspection sees it, independent of HttpContext so the offline <c>inspect</c> command runs the same code.</summary>
internal readonly record struct InspectionInput(
    string Method,
    string RawPath,
    string? RawQuery,
    IHeaderDictionary Headers,
    ReadOnlyMemory<byte> Body,
    string? ContentType,
    bool BodyTruncated);

/// <summary>The outcome of inspecting one request.</summary>
internal sealed record InspectionVerdict(
    int Score,
    int RuleScore,
    double? ModelProbability,
    string[] Rules,
    string[] Categories,
    bool Truncated,
    string CanonicalPath);
