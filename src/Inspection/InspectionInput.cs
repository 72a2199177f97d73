using Microsoft.AspNetCore.Http;

namespace Analytics.Inspection;

/// <summary>
/// A request as inspection sees it, independent of HttpContext so the offline <c>inspect</c>
/// command runs the same code. <see cref="Protocol"/> (<c>HTTP/1.1</c>) and
/// <see cref="RawTarget"/> (the request target as sent) feed the request-line rules; null
/// leaves those rules out.
/// </summary>
internal readonly record struct InspectionInput(
    string Method,
    string RawPath,
    string? RawQuery,
    IHeaderDictionary Headers,
    ReadOnlyMemory<byte> Body,
    string? ContentType,
    bool BodyTruncated,
    string? Protocol = null,
    string? RawTarget = null);

/// <summary>The outcome of inspecting one request.</summary>
internal sealed record InspectionVerdict(
    int Score,
    int RuleScore,
    double? ModelProbability,
    string[] Rules,
    string[] Categories,
    bool Truncated,
    string CanonicalPath);
