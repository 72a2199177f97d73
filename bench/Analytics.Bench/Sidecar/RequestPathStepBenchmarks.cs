using System.Text;
using Analytics.Bench.Sidecar.RequestPath;
using Analytics.Messaging;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Enforcement;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.RateLimiting;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Analytics.Bench.Sidecar;

/// <summary>
/// What each step of the sidecar's request path (docs/request-path.md) costs per request, in the
/// configuration of bench/sidecar-run.sh: GET /api/items/123 and a 200-byte JSON POST to
/// /api/orders, both with an API key (role reader), a per-principal token bucket, inspection in
/// block mode with the learned model, telemetry handed to the loop. Each benchmark calls the
/// sidecar's own step objects, taken from its container; the requests are built once. YARP's
/// forwarder and librdkafka are not in any figure (see the load figures for those).
/// Run: dotnet run -c Release --project bench/Analytics.Bench -- request-path-steps [--filter '*Inspect*']
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RequestPathStepsConfig))]
public class RequestPathStepBenchmarks
{
    // proxy-peers.sh's POST_BODY: the 200-byte order the load harness sends.
    private static readonly byte[] OrderBody = Encoding.UTF8.GetBytes(
        """{"customerId":"c-1042","currency":"EUR","items":[{"sku":"SKU-000123","qty":2,"price":19.99},{"sku":"SKU-000456","qty":1,"price":5.49}],"shipping":{"method":"standard","country":"DE"},"note":"benchmark order"}""");

    // A login form's JSON, for the identifier hashing a login route (LoginField) adds.
    private static readonly byte[] LoginBody = Encoding.UTF8.GetBytes(
        """{"username":"Alice.Example@shop.example.com","password":"correct horse battery staple","remember":true,"client":"web/4.12.0","captcha":"03AGdBq24PBCbwiDRaS_MJ7Z"}""");

    private WebApplication _app = null!;
    private SerializingStreamTransport _sink = null!;
    private TelemetryWriterInternals _loop = null!;
    private RequestTelemetryWriter _writer = null!;
    private RequestEdgeMiddleware _edge = null!;
    private RequestEdgeMiddleware _edgeAndSteps = null!;
    private RouteStepsMiddleware _routeSteps = null!;
    private RequestPathNormalizer _paths = null!;
    private RoutePolicies _policies = null!;
    private RequestLimits _limits = null!;
    private DecisionEnforcer _enforcer = null!;
    private RouteAuthenticator _auth = null!;
    private FailedAuthenticationLimiter _failedAuth = null!;
    private RequestRateLimiter _rateLimiter = null!;
    private LoginIdentifierHasher _loginHasher = null!;
    private RequestInspector _inspector = null!;
    private RouteConfig _itemsConfig = null!;
    private RoutePolicy _items = null!;
    private RoutePolicy _orders = null!;
    private int _ipv6Prefix;

    // A zero-permit probe never takes the failed-auth partition out of idle, so the partitioned
    // limiter's heartbeat disposes it (after 10 s idle) while probes still use it: counted, not hidden.
    private static long _disposedLimiterFaults;

    // Requests whose context the edge and the route steps have filled in once, as a request arriving at that step would have it.
    private BenchRequest _get = null!;
    private BenchRequest _post = null!;
    private RequestContext _getContext = null!;
    private RequestContext _postContext = null!;
    private BodyPrefix _postPrefix;

    // Bare requests for the benchmarks that start at the edge.
    private BenchRequest _edgeGet = null!;
    private BenchRequest _edgePost = null!;

    // A completed GET as the telemetry loop receives it, and the event the loop made of it.
    private RequestContext _completedGet = null!;
    private RequestEvent _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sink = new SerializingStreamTransport();
        _app = StepHost.Build(_sink);
        var services = _app.Services;
        var engine = services.GetRequiredService<InspectionEngineHolder>().Engine;
        if (engine.Model is null)
        {
            throw new InvalidOperationException("The learned inspection model was not found (models/inspection-model.zip): run from the repository root after a build.");
        }

        services.GetRequiredService<DecisionGate>().CaughtUp();
        _writer = services.GetRequiredService<RequestTelemetryWriter>();
        _loop = new TelemetryWriterInternals(_writer);
        _policies = services.GetRequiredService<RoutePolicies>();
        _enforcer = services.GetRequiredService<DecisionEnforcer>();
        _auth = services.GetRequiredService<RouteAuthenticator>();
        _failedAuth = services.GetRequiredService<FailedAuthenticationLimiter>();
        _rateLimiter = services.GetRequiredService<RequestRateLimiter>();
        _loginHasher = services.GetRequiredService<LoginIdentifierHasher>();
        _inspector = services.GetRequiredService<RequestInspector>();
        var proxy = services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        _limits = new RequestLimits(proxy.Limits);
        _paths = new RequestPathNormalizer(proxy.EscapedSlashes);
        _ipv6Prefix = proxy.Ipv6AggregationPrefix;

        // The middlewares as UseMiddleware makes them; the forwarder after them is left out.
        RequestDelegate forwarder = _ => Task.CompletedTask;
        _routeSteps = ActivatorUtilities.CreateInstance<RouteStepsMiddleware>(services, forwarder);
        _edge = ActivatorUtilities.CreateInstance<RequestEdgeMiddleware>(services, forwarder);
        _edgeAndSteps = ActivatorUtilities.CreateInstance<RequestEdgeMiddleware>(services, (RequestDelegate)_routeSteps.InvokeAsync);

        var routes = services.GetRequiredService<IProxyConfigProvider>().GetConfig().Routes;
        _itemsConfig = routes.Single(r => r.RouteId == "items");
        var ordersConfig = routes.Single(r => r.RouteId == "orders");
        var itemsRoute = new RouteModel(_itemsConfig, null, HttpTransformer.Default);
        var ordersRoute = new RouteModel(ordersConfig, null, HttpTransformer.Default);
        _items = _policies.Resolve(_itemsConfig);
        _orders = _policies.Resolve(ordersConfig);

        _get = new BenchRequest("GET", "/api/items/123", null, StepHost.ApiKey, itemsRoute);
        _post = new BenchRequest("POST", "/api/orders", OrderBody, StepHost.ApiKey, ordersRoute);
        _edgeGet = new BenchRequest("GET", "/api/items/123", null, StepHost.ApiKey, itemsRoute);
        _edgePost = new BenchRequest("POST", "/api/orders", OrderBody, StepHost.ApiKey, ordersRoute);
        _getContext = Arrive(_get);
        _postContext = Arrive(_post);
        _postPrefix = new BodyPrefix(OrderBody, OrderBody.Length, false);

        // One whole GET through the sidecar's steps, completed, as the loop reads it.
        _edgeAndSteps.InvokeAsync(_edgeGet.Context).GetAwaiter().GetResult();
        _edgeGet.Response.RunStarting();
        _edgeGet.Response.RunCompleted();
        if (!_loop.Completed.TryRead(out var completed))
        {
            throw new InvalidOperationException("The edge's completion handed nothing to the telemetry loop.");
        }

        _completedGet = completed;
        ExpectPassed(_completedGet, "GET through the edge and route steps");
        _loop.Publish(_completedGet);
        _event = _sink.GetProducer(Streams.Requests) is SerializingProducer<RequestEvent> { LastMessage: { } e } ? e : throw new InvalidOperationException("The telemetry loop published no event.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ExpectPassed(_getContext, "GET after the run");
        ExpectPassed(_postContext, "POST after the run");
        if (Interlocked.Exchange(ref _disposedLimiterFaults, 0) is var faults and > 0)
        {
            Console.WriteLine($"// {faults} call(s) met a disposed rate limiter (ObjectDisposedException; a 500 on the request path)");
        }

        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    // ---------------------------------------------------------------- edge (every request)

    [Benchmark(Description = "edge: rent context + framing guard + path normaliser + callbacks (GET)")]
    public void Edge()
    {
        var context = _edgeGet.Context;
        Synchronous(_edge.InvokeAsync(context));
        _edgeGet.Response.Forget();
        var request = context.Features.Get<RequestContext>()!;
        context.Features.Set<RequestContext>(null);
        _loop.Pool.Return(request);
    }

    [Benchmark(Description = "edge: context rent + Begin + reset (GET)")]
    public void ContextRentBeginReset()
    {
        var request = _writer.Rent();
        request.Begin(_edgeGet.Context, TimeProvider.System, _ipv6Prefix);
        _loop.Pool.Return(request);
    }

    [Benchmark(Description = "edge: framing guard + header bytes (GET)")]
    public long FramingGuard()
    {
        RequestNormalizationGuard.Check(_get.Context, out var headerBytes);
        return headerBytes;
    }

    [Benchmark(Description = "edge: path normaliser (GET)")]
    public bool PathNormalizer() => _paths.Apply(_get.Context) is null;

    [Benchmark(Description = "edge: whole, with hardening, completion and hand-off (GET)")]
    public void EdgeLifecycle() => Lifecycle(_edge, _edgeGet, publish: false);

    // ---------------------------------------------------------------- route steps, one by one

    [Benchmark(Description = "route policy resolve")]
    public bool RoutePolicyResolve() => ReferenceEquals(_policies.Resolve(_itemsConfig), _items);

    [Benchmark(Description = "request limits (GET)")]
    public bool RequestLimits() => _limits.Check(_get.Context, _getContext, _items) is null;

    [Benchmark(Description = "decisions: client IP, none held (GET)")]
    public bool DecisionsClient() => Synchronous(_enforcer.EnforceClientAsync(_get.Context, _getContext));

    [Benchmark(Description = "failed-auth limiter probe (GET)")]
    public bool FailedAuthCheck()
    {
        try
        {
            return _failedAuth.Check(_get.Context, _getContext) is null;
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _disposedLimiterFaults);
            return false;
        }
    }

    [Benchmark(Description = "route authenticator, API key (GET)")]
    public bool AuthenticateApiKey() => Synchronous(_auth.AuthenticateAsync(_get.Context, _getContext, _items));

    [Benchmark(Description = "decisions: principal, none held (GET)")]
    public bool DecisionsPrincipal() => Synchronous(_enforcer.EnforcePrincipalAsync(_get.Context, _getContext));

    [Benchmark(Description = "rate limiter: acquire + release (GET)")]
    public bool RateLimit()
    {
        var allowed = _rateLimiter.Acquire(_get.Context, _getContext, _items) is null;
        _rateLimiter.Release(_getContext);
        return allowed;
    }

    [Benchmark(Description = "body prefix read, 200-byte JSON (POST)")]
    public int BodyPrefixRead()
    {
        _post.RewindBody();
        var prefix = Synchronous(BodyPrefix.ReadAsync(_post.Context, _orders.InspectionBodyBytes));
        // Disposes the prefix stream, which gives the pooled buffer back.
        _post.Response.RunCompleted();
        return prefix.Length;
    }

    [Benchmark(Description = "login identifier hashing, 200-byte login JSON")]
    public string? LoginIdentifierHash() => _loginHasher.Hash(LoginBody, "username");

    [Benchmark(Description = "request inspector (GET)")]
    public bool InspectGet() => Synchronous(_inspector.InspectAsync(_get.Context, _getContext, _items, BodyPrefix.None));

    [Benchmark(Description = "request inspector, 200-byte JSON (POST)")]
    public bool InspectPost() => Synchronous(_inspector.InspectAsync(_post.Context, _postContext, _orders, _postPrefix));

    // ---------------------------------------------------------------- route steps, whole

    [Benchmark(Description = "route steps, whole (GET)")]
    public void RouteStepsGet()
    {
        Synchronous(_routeSteps.InvokeAsync(_get.Context));
        // What the edge's completion gives back.
        _rateLimiter.Release(_getContext);
    }

    [Benchmark(Description = "route steps, whole (POST)")]
    public void RouteStepsPost()
    {
        _post.RewindBody();
        Synchronous(_routeSteps.InvokeAsync(_post.Context));
        _rateLimiter.Release(_postContext);
        _post.Response.RunCompleted();
    }

    // ---------------------------------------------------------------- telemetry

    [Benchmark(Description = "telemetry hand-off: enqueue (+ the loop's dequeue)")]
    public bool TelemetryHandOff()
    {
        _writer.Complete(_completedGet);
        return _loop.Completed.TryRead(out _);
    }

    [Benchmark(Description = "telemetry loop per event: catalog, metrics, RequestEvent, JSON")]
    public void TelemetryLoopEvent() => _loop.Publish(_completedGet);

    [Benchmark(Description = "telemetry loop: RequestEvent JSON alone")]
    public byte[] TelemetryEventJson() => MessageSchema.Serialize(_event, Streams.Requests);

    // ---------------------------------------------------------------- the sidecar's own work per request

    [Benchmark(Description = "sidecar, request thread: edge + route steps + completion (GET)")]
    public void SidecarGet() => Lifecycle(_edgeAndSteps, _edgeGet, publish: false);

    [Benchmark(Description = "sidecar, request thread: edge + route steps + completion (POST)")]
    public void SidecarPost() => Lifecycle(_edgeAndSteps, _edgePost, publish: false);

    [Benchmark(Description = "sidecar, all but YARP and Kafka: request thread + loop (GET)")]
    public void SidecarWithLoopGet() => Lifecycle(_edgeAndSteps, _edgeGet, publish: true);

    [Benchmark(Description = "sidecar, all but YARP and Kafka: request thread + loop (POST)")]
    public void SidecarWithLoopPost() => Lifecycle(_edgeAndSteps, _edgePost, publish: true);

    /// <summary>
    /// One request from the edge to the loop: the middleware, the response's OnStarting and
    /// OnCompleted callbacks as Kestrel runs them, then what the loop does with the context.
    /// </summary>
    private void Lifecycle(RequestEdgeMiddleware edge, BenchRequest request, bool publish)
    {
        request.RewindBody();
        Synchronous(edge.InvokeAsync(request.Context));
        request.Response.RunStarting();
        request.Response.RunCompleted();
        if (_loop.Completed.TryRead(out var completed))
        {
            if (publish)
            {
                _loop.Publish(completed);
            }

            _loop.Pool.Return(completed);
        }
    }

    /// <summary>The result of a step that completes without I/O on these requests; one that went asynchronous would measure something else.</summary>
    private static T Synchronous<T>(ValueTask<T> step) =>
        step.IsCompletedSuccessfully ? step.Result : throw new InvalidOperationException("A step expected to complete synchronously did not.");

    private static void Synchronous(Task step)
    {
        if (step.Exception?.InnerException is ObjectDisposedException)
        {
            Interlocked.Increment(ref _disposedLimiterFaults);
            return;
        }

        if (!step.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("A step expected to complete synchronously did not.");
        }
    }

    /// <summary>Runs the edge and the route steps once on a request and keeps its context, as the steps find it.</summary>
    private RequestContext Arrive(BenchRequest request)
    {
        _edge.InvokeAsync(request.Context).GetAwaiter().GetResult();
        // The edge's completion would hand the context to the loop: these requests never complete.
        request.Response.Forget();
        var context = request.Context.Features.Get<RequestContext>()
            ?? throw new InvalidOperationException("The edge set no request context.");
        request.RewindBody();
        _routeSteps.InvokeAsync(request.Context).GetAwaiter().GetResult();
        _rateLimiter.Release(context);
        request.Response.RunCompleted();
        ExpectPassed(context, request.Context.Request.Method + " through the route steps");
        return context;
    }

    /// <summary>Every benchmark measures the pass-through path: a request refused by a step would measure its refusal.</summary>
    private static void ExpectPassed(RequestContext request, string what)
    {
        if (request.RejectedBy != RejectionReasons.None || request.Auth.Outcome != AuthOutcomes.Success
            || request.RateLimit.Outcome != "allowed" || request.Inspection is not { Action: "allow" })
        {
            throw new InvalidOperationException(
                $"{what}: not passed (rejected by '{request.RejectedBy}', auth {request.Auth.Outcome}, rate limit {request.RateLimit.Outcome}, inspection {request.Inspection?.Action ?? "none"}).");
        }
    }
}
