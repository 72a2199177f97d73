using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// One request as the load harness (wrk) sends it and Kestrel plus YARP's routing hand it to the
/// sidecar: Host, the API key, and for the POST a JSON body with Content-Type and Content-Length,
/// from 127.0.0.1, with the matched route on its features. Built once and reused by every call.
/// </summary>
internal sealed class BenchRequest
{
    private readonly MemoryStream? _body;

    public BenchRequest(string method, string target, byte[]? body, string apiKey, RouteModel route)
    {
        var mark = target.IndexOf('?', StringComparison.Ordinal);
        var request = new HttpRequestFeature
        {
            Protocol = HttpProtocol.Http11,
            Scheme = "http",
            Method = method,
            PathBase = "",
            Path = mark < 0 ? target : target[..mark],
            QueryString = mark < 0 ? "" : target[mark..],
            RawTarget = target,
        };
        request.Headers.Host = "127.0.0.1:9100";
        request.Headers["X-Api-Key"] = apiKey;
        if (body is not null)
        {
            request.Headers.ContentType = "application/json";
            request.Headers.ContentLength = body.Length;
            _body = new MemoryStream(body, writable: false);
            request.Body = _body;
        }

        Response = new CapturingResponseFeature();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(Response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetectionFeature(body is not null));
        features.Set<IReverseProxyFeature>(new RoutedProxyFeature(route));
        Context = new DefaultHttpContext(features) { TraceIdentifier = "0HNBENCH0000:00000001" };
        Context.Connection.RemoteIpAddress = IPAddress.Loopback;
        Context.Connection.RemotePort = 40000;
    }

    public DefaultHttpContext Context { get; }

    public CapturingResponseFeature Response { get; }

    /// <summary>Puts the body back at its start, for a step that reads it (the body prefix replaces Request.Body).</summary>
    public void RewindBody()
    {
        if (_body is not null)
        {
            _body.Position = 0;
            Context.Request.Body = _body;
        }
    }
}
