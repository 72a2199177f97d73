using System.Threading.Channels;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Catalog;
using Analytics.Sidecar.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Telemetry;

/// <summary>
/// Step 8, off the request path. A completed request hands its (pooled) context to a bounded
/// channel and returns; this loop, on a thread of its own, wakes once per batch, records the
/// request in the catalog and the metrics, builds its <see cref="RequestEvent"/> and hands it to
/// the requests stream, whose transport serialises and produces in its own batches. A full channel
/// drops the event and counts it, so the request never waits and every loss is known.
/// </summary>
internal sealed class RequestTelemetryWriter : BackgroundService
{
    private readonly Channel<RequestContext> _completed;
    private readonly ObjectPool<RequestContext> _pool = new DefaultObjectPool<RequestContext>(new ContextPolicy(), 1024);
    private readonly IStreamProducer<RequestEvent> _producer;
    private readonly TelemetryMetrics _metrics;
    private readonly ApiCatalog? _catalog;
    private readonly TimeProvider _time;
    private readonly TelemetryOptions _options;
    private readonly string _instance;
    private readonly TimeSpan _batchDelay;
    private long _started;
    private long _settled;

    public RequestTelemetryWriter(IStreamTransport transport, TelemetryMetrics metrics, ApiCatalog catalog, IOptions<CatalogOptions> catalogOptions,
        TimeProvider time, IOptions<TelemetryOptions> options)
    {
        _producer = transport.GetProducer(Streams.Requests);
        _metrics = metrics;
        _catalog = catalogOptions.Value.Enabled ? catalog : null;
        _time = time;
        _options = options.Value;
        _instance = options.Value.Instance ?? Environment.MachineName;
        _batchDelay = TimeSpan.FromMilliseconds(options.Value.BatchDelayMs);
        metrics.ObserveActive(() => Interlocked.Read(ref _started) - Interlocked.Read(ref _settled));
        _completed = Channel.CreateBounded<RequestContext>(new BoundedChannelOptions(options.Value.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Events lost before the stream: the channel was full or the loop had stopped.</summary>
    public long Dropped => _metrics.BufferDropped;

    /// <summary>A context for a new request, from the pool.</summary>
    public RequestContext Rent()
    {
        Interlocked.Increment(ref _started);
        return _pool.Get();
    }

    /// <summary>Hands a completed request over; the caller must not touch <paramref name="request"/> afterwards.</summary>
    public void Complete(RequestContext request)
    {
        if (_completed.Writer.TryWrite(request))
        {
            return;
        }

        // Counted as a request too, so /stats and /metrics still see every request.
        _metrics.Completed(request.RouteId, request.RejectedBy, request.DurationMs, request.UpstreamMs);
        _metrics.BufferFull();
        Interlocked.Increment(ref _settled);
        _pool.Return(request);
    }

    /// <summary>
    /// Waits (bounded) until every request that had started before the call is in the stats and
    /// the stream, so the admin API reads what a client that just got its responses expects.
    /// </summary>
    public async Task CatchUpAsync(TimeSpan timeout)
    {
        var target = Interlocked.Read(ref _started);
        // Wall-clock mechanics, not event time: the injected clock may be a test's frozen one.
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Interlocked.Read(ref _settled) < target && Environment.TickCount64 < deadline && !_completed.Reader.Completion.IsCompleted)
        {
            await Task.Delay(1);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LoopThread.Start("sidecar-telemetry", Run, stoppingToken);

    // On its own thread: the batch delay is a timed wait of this thread, not a timer whose every
    // firing wakes the runtime's timer thread and then a pool worker (both on the proxy's core).
    private void Run(CancellationToken stoppingToken)
    {
        var reader = _completed.Reader;
        try
        {
            while (WaitForCompleted(reader, stoppingToken))
            {
                Drain(reader);
                if (_batchDelay > TimeSpan.Zero && stoppingToken.WaitHandle.WaitOne(_batchDelay))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the server has stopped taking requests; publish what is left.
        }

        _completed.Writer.TryComplete();
        Drain(reader);
    }

    // Under load a request has always completed during the batch delay, so this returns at once;
    // only an idle proxy blocks here until the next request completes.
    private static bool WaitForCompleted(ChannelReader<RequestContext> reader, CancellationToken stoppingToken)
    {
        var waiting = reader.WaitToReadAsync(stoppingToken);
        return waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
    }

    private void Drain(ChannelReader<RequestContext> reader)
    {
        while (reader.TryRead(out var request))
        {
            try
            {
                Publish(request);
            }
            finally
            {
                Interlocked.Increment(ref _settled);
                _pool.Return(request);
            }
        }
    }

    private void Publish(RequestContext request)
    {
        if (_catalog is not null && request.Route is { } route && ApiCatalog.Learns(request.RejectedBy))
        {
            request.PathTemplate = _catalog.Observe(request.Method, request.RawTarget, route.RouteId, request.Status, request.Principal.Kind,
                request.Catalog, request.PathTemplate);
        }

        var clientIp = request.ClientIpText;
        var evt = new RequestEvent
        {
            Timestamp = request.Timestamp,
            RequestId = request.RequestId,
            TraceId = request.TraceId == default ? null : request.TraceId.ToHexString(),
            Instance = _instance,
            Service = _options.Service,
            ClientIp = clientIp,
            Principal = request.Principal,
            Method = request.Method,
            RouteId = request.RouteId,
            PathTemplate = request.PathTemplate,
            Path = Truncate(request.NormalizedPath ?? request.Path, _options.MaxPathLength),
            Status = request.Status,
            BytesIn = request.BytesIn,
            BytesOut = request.BytesOut,
            DurationMs = request.DurationMs,
            UpstreamMs = request.UpstreamMs,
            UserAgent = request.UserAgent is { } agent ? Truncate(agent, _options.MaxUserAgentLength) : null,
            Auth = request.Auth,
            RateLimit = request.RateLimit,
            Inspection = request.Inspection,
            Catalog = request.Catalog,
            DecisionId = request.DecisionId,
            LoginHash = request.LoginHash,
            RejectedBy = request.RejectedBy,
        };

        _metrics.Completed(request.RouteId, request.RejectedBy, request.DurationMs, request.UpstreamMs);
        // Keyed by the aggregation key (the address; an IPv6 client's /64): a client rotating
        // through its prefix stays in one partition, so one analyzer instance sees all of it.
        _producer.TryPublish(request.AggregationKey, evt);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private sealed class ContextPolicy : PooledObjectPolicy<RequestContext>
    {
        public override RequestContext Create() => new();

        public override bool Return(RequestContext obj)
        {
            obj.Reset();
            return true;
        }
    }
}
