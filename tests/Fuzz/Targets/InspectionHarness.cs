using Analytics.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Fuzz.Targets;

/// <summary>
/// Runs the inspection engine (every detector, no learned model: it would cost more than the
/// rules and adds no parsing) the way <see cref="RequestInspector"/> does, including the one
/// exception it turns into a 400.
/// </summary>
internal static class InspectionHarness
{
    private static readonly InspectionEngine Engine = new(new InspectionOptions { ModelPath = "" }, model: null);

    public static void Inspect(in InspectionInput input)
    {
        var findings = new FindingSet();
        findings.Reset(null, FindingSet.MaxParanoia);
        try
        {
            _ = Engine.Inspect(input, findings, useModel: false);
        }
        catch (InvalidOperationException) when (!input.Body.IsEmpty)
        {
            // RequestInspector answers 400 for a JSON string that unescapes to invalid UTF-16.
        }
    }

    public static InspectionInput Request(string method, string target, IHeaderDictionary headers, ReadOnlyMemory<byte> body)
    {
        var mark = target.IndexOf('?', StringComparison.Ordinal);
        var path = mark < 0 ? target : target[..mark];
        var query = mark < 0 ? null : target[(mark + 1)..];
        return new InspectionInput(method, path, query, headers, body, headers.ContentType.ToString() is { Length: > 0 } ct ? ct : null,
            BodyTruncated: false, "HTTP/1.1", target);
    }
}
