using System.Reflection;
using System.Threading.Channels;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Telemetry;
using Microsoft.Extensions.ObjectPool;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// The private parts of <see cref="RequestTelemetryWriter"/> a step benchmark needs without
/// starting its loop: the channel a completed request goes into, the context pool, and the
/// loop's per-event work. Found by name, so a rename fails the benchmark's setup loudly rather
/// than measuring something else.
/// </summary>
internal sealed class TelemetryWriterInternals
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    public TelemetryWriterInternals(RequestTelemetryWriter writer)
    {
        var type = typeof(RequestTelemetryWriter);
        Completed = ((Channel<RequestContext>)Field(type, writer, "_completed")).Reader;
        Pool = (ObjectPool<RequestContext>)Field(type, writer, "_pool");
        var publish = type.GetMethod("Publish", Private, [typeof(RequestContext)])
            ?? throw new InvalidOperationException("RequestTelemetryWriter.Publish(RequestContext) is gone: adapt the request-path step benchmarks.");
        Publish = publish.CreateDelegate<Action<RequestContext>>(writer);
    }

    /// <summary>What the telemetry loop reads: completed requests.</summary>
    public ChannelReader<RequestContext> Completed { get; }

    /// <summary>The pool the edge rents contexts from and the loop returns them to.</summary>
    public ObjectPool<RequestContext> Pool { get; }

    /// <summary>The loop's work for one completed request: catalog, metrics, the event, the hand-off to the stream.</summary>
    public Action<RequestContext> Publish { get; }

    private static object Field(Type type, object instance, string name) =>
        type.GetField(name, Private)?.GetValue(instance)
        ?? throw new InvalidOperationException($"RequestTelemetryWriter.{name} is gone: adapt the request-path step benchmarks.");
}
