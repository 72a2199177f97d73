using System.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace Analytics.Sidecar.Proxy;

/// <summary>
/// Passes the W3C trace context upstream without HttpClient's diagnostics handler when no spans
/// are recorded. That handler starts a child activity for every upstream call, tags it (the
/// redacted URL, the host), and sets and restores <see cref="Activity.Current"/> around it, only to
/// write a traceparent whose parent is a span nobody records: an eighth of the proxy's allocated
/// bytes per request. Here the request's own activity (the caller's trace, or the one ASP.NET Core
/// started) is injected instead, through YARP's propagator, which first removes the caller's
/// trace headers, as the handler would have.
/// </summary>
internal sealed class UpstreamTraceContext(bool recordsSpans)
{
    private readonly ReverseProxyPropagator _propagator = new(DistributedContextPropagator.Current);

    /// <summary>Whether the sidecar injects trace context itself (no spans recorded) instead of HttpClient's handler.</summary>
    public bool InjectsItself { get; } = !recordsSpans;

    /// <summary>Takes HttpClient's diagnostics handler out of the upstream handler chain when the sidecar injects itself.</summary>
    public void Configure(SocketsHttpHandler handler)
    {
        if (InjectsItself)
        {
            handler.ActivityHeadersPropagator = null;
        }
    }

    /// <summary>Writes traceparent (and tracestate, baggage) of the current request's activity onto the upstream request.</summary>
    public void Inject(HttpRequestMessage upstream)
    {
        if (InjectsItself && Activity.Current is { } activity)
        {
            _propagator.Inject(activity, upstream, static (carrier, name, value) =>
            {
                if (carrier is HttpRequestMessage request && value is not null)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            });
        }
    }
}
