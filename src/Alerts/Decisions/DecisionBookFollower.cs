using Analytics.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Alerts.Decisions;

/// <summary>Reads the decisions stream from the beginning and keeps <see cref="DecisionBook"/> current.</summary>
internal sealed partial class DecisionBookFollower(IStreamTransport transport, DecisionBook book, ILogger<DecisionBookFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield so host start-up does not wait for the first read.
        await Task.Yield();
        try
        {
            using var consumer = transport.CreateReplayConsumer(Streams.Decisions);
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = await consumer.ReadAsync(stoppingToken);
                book.Apply(message.Key, message.Value);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Messages then name decisions by id only; delivery itself does not depend on this.
            LogFollowFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Stopped following the decisions stream ({Error}); messages will name decisions by id only")]
    private static partial void LogFollowFailed(ILogger logger, string error);
}
