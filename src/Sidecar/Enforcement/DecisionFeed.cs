using Analytics.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// Reads the decisions stream from the beginning into the <see cref="DecisionStore"/>, then
/// follows it. The sidecar is not ready until the catch-up is done, so a restarted sidecar
/// never serves traffic without the decisions in force.
/// </summary>
internal sealed partial class DecisionFeed(IStreamTransport transport, DecisionStore store, TimeProvider time, ILogger<DecisionFeed> logger)
    : BackgroundService, IHealthCheck
{
    private volatile bool _caughtUp;

    public bool CaughtUp => _caughtUp;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_caughtUp
            ? HealthCheckResult.Healthy("decisions caught up")
            : HealthCheckResult.Unhealthy("reading the decisions stream"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var consumer = transport.CreateReplayConsumer(Streams.Decisions);
        var applied = 0;
        _ = consumer.CaughtUp.ContinueWith(
            _ =>
            {
                _caughtUp = true;
                LogCaughtUp(logger, Volatile.Read(ref applied), store.ActiveCount());
            },
            stoppingToken,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

        while (!stoppingToken.IsCancellationRequested)
        {
            StreamMessage<Decision> message;
            try
            {
                message = await consumer.ReadAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (message.Value is null)
            {
                store.RemoveByKey(message.Key);
            }
            else if (!message.Value.IsExpired(time.GetUtcNow()) && !store.Apply(message.Value))
            {
                LogInvalid(logger, message.Key);
            }

            Interlocked.Increment(ref applied);
        }
    }

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Decisions caught up: {Applied} messages read, {Active} decisions in force")]
    private static partial void LogCaughtUp(ILogger logger, int applied, int active);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Ignored a decision that cannot be enforced (key {Key})")]
    private static partial void LogInvalid(ILogger logger, string key);
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
