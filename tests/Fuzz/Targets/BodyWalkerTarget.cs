using Microsoft.AspNetCore.Http;

namespace Analytics.Fuzz.Targets;

/// <summary>
/// One body walker (JSON, form, multipart or XML): the fuzz bytes are the body of a POST
/// declared with that content type, so every byte goes to the walker under test.
/// </summary>
internal sealed class BodyWalkerTarget(string name, string contentType) : IFuzzTarget
{
    public const string Boundary = "fuzzboundary";

    public string Name => name;

    public void Run(ReadOnlySpan<byte> data)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        headers.ContentType = contentType;
        InspectionHarness.Inspect(InspectionHarness.Request("POST", "/api/orders", headers, data.ToArray()));
    }
}
