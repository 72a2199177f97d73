using Microsoft.AspNetCore.Http.Features;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>What Kestrel tells about a request's body: a GET without Content-Length has none, a POST may have one.</summary>
internal sealed class BodyDetectionFeature(bool canHaveBody) : IHttpRequestBodyDetectionFeature
{
    public bool CanHaveBody { get; } = canHaveBody;
}
