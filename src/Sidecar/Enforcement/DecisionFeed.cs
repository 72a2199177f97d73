using Analytics.Messaging;
using Analytics.Sidecar.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// Reads the decisions stream from the beginning into the <see cref="DecisionStore"/>, then
/// follows it. Every decision passes the <see cref="DecisionValidator"/> (and its signature is
/// checked when a key is configured); refused ones are dead-lettered and counted. The sidecar is
/// not ready until the catch-up is done, and the <see cref="DecisionGate"/> refuses traffic until
/// then (or the maximum wait). A failure of the stream never ends the host: the last known
/// decisions stay in force, readiness turns red, and the feed re-opens with back-off.
/// </summary>
internal sealed partial class DecisionFeed(
    IStreamTransport transport, DecisionStore store, DecisionGate gate, EnforcementMetrics metrics, IOptions<SidecarDecisionOptions> options,
    TimeProvider time, ILogger<DecisionFeed> logger)
    : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private readonly DecisionValidator _validator = new(options.Value, time);
    private readonly TimeSpan _maxRetryDelay = options.Value.MaxRetryDelay;
    private IStreamConsumer<Decision>? _first;
    private ITimer? _maxWait;
    private volatile bool _caughtUp;
    private volatile bool _failing;
    private volatile bool _attemptCaughtUp;

    public bool CaughtUp => _caughtUp;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_failing
            ? HealthCheckResult.Unhealthy("the decisions stream is failing; the last known decisions stay in force")
            : _caughtUp
                ? HealthCheckResult.Healthy("decisions caught up")
                : HealthCheckResult.Unhealthy("reading the decisions stream"));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!gate.IsOpen)
        {
            _maxWait = time.CreateTimer(_ => gate.GiveUpWaiting(), null, gate.MaxWait, Timeout.InfiniteTimeSpan);
        }

        if (string.IsNullOrEmpty(options.Value.SigningKey))
        {
            LogUnsigned(logger);
        }
        else
        {
            LogSigned(logger);
        }

        // Opened here, before the listeners start, so that an empty stream (in-process, nothing
        // to replay) lets the very first request through.
        _first = transport.CreateReplayConsumer(Streams.Decisions);
        if (_first.CaughtUp.IsCompletedSuccessfully)
        {
            MarkCaughtUp(0);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _maxWait?.Dispose();
        _first?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            IStreamConsumer<Decision>? consumer = null;
            _attemptCaughtUp = false;
            try
            {
                consumer = _first ?? transport.CreateReplayConsumer(Streams.Decisions);
                _first = null;
                await FollowAsync(consumer, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A BackgroundService that throws stops the host (BackgroundServiceExceptionBehavior.StopHost,
                // the default since .NET 6), and the proxy with it. Enforcement must outlive its feed.
                if (_attemptCaughtUp)
                {
                    delay = FirstRetryDelay;
                }

                _failing = true;
                LogFeedFailed(logger, ex, delay.TotalSeconds);
            }
            finally
            {
                consumer?.Dispose();
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxRetryDelay.Ticks));
        }
    }

    private async Task FollowAsync(IStreamConsumer<Decision> consumer, CancellationToken stoppingToken)
    {
        var applied = 0;
        var reported = false;
        // The stream may hold nothing to replay: catching up then completes while the read waits.
        _ = consumer.CaughtUp.ContinueWith(_ => Reached(), stoppingToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

        while (true)
        {
            var message = await consumer.ReadAsync(stoppingToken);
            await HandleAsync(message, stoppingToken);
            applied++;
            if (!reported && consumer.CaughtUp.IsCompletedSuccessfully)
            {
                Reached();
            }
        }

        void Reached()
        {
            if (reported)
            {
                return;
            }

            reported = true;
            _attemptCaughtUp = true;
            _failing = false;
            MarkCaughtUp(applied);
        }
    }

    private async Task HandleAsync(StreamMessage<Decision> message, CancellationToken cancellationToken)
    {
        if (message.Value is not { } decision)
        {
            store.RemoveByKey(message.Key);
            return;
        }

        if (decision.IsExpired(time.GetUtcNow()))
        {
            return;
        }

        var refusal = _validator.Validate(decision, message.Key, store.HeldBesides(decision.Key));
        if (refusal is null && !store.Apply(decision))
        {
            refusal = DecisionRejections.InvalidValue;
        }

        if (refusal is null)
        {
            return;
        }

        metrics.DecisionRejected(refusal);
        LogRefused(logger, message.Key, decision.Source, refusal);
        try
        {
            await transport.DeadLetterAsync(Streams.Decisions, message, refusal, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Counted and logged already; a dead-letter outage must not stop enforcement.
            LogDeadLetterFailed(logger, ex, message.Key);
        }
    }

    private void MarkCaughtUp(int applied)
    {
        _caughtUp = true;
        gate.CaughtUp();
        _maxWait?.Dispose();
        LogCaughtUp(logger, applied, store.ActiveCount());
    }

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Decisions caught up: {Applied} messages read, {Active} decisions in force")]
    private static partial void LogCaughtUp(ILogger logger, int applied, int active);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Refused a decision from the stream (key {Key}, source {Source}): {Reason}; dead-lettered")]
    private static partial void LogRefused(ILogger logger, string key, string source, string reason);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "The decisions feed failed; the last known decisions stay in force, the sidecar reports not ready, retrying in {Seconds} s")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "Could not dead-letter the refused decision (key {Key})")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "Decisions must be signed (Sidecar:Decisions:SigningKey is set); unsigned ones are refused")]
    private static partial void LogSigned(ILogger logger);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "Sidecar:Decisions:SigningKey is not set: decisions are accepted unsigned, from anyone who can write to the decisions stream")]
    private static partial void LogUnsigned(ILogger logger);
}

/// <summary>Sweeps expired decisions out of memory on a timer, whatever the stream does.</summary>
internal sealed class DecisionSweeper(DecisionStore store, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                store.SweepExpired();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
