using Microsoft.Extensions.Hosting;

namespace Analytics.Messaging.Kafka;

/// <summary>Starts the requests drain loop and topic creation with the host, and drains and flushes on stop.</summary>
internal sealed class KafkaStreamsService(IStreamTransport transport) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _ensure = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport is KafkaTransport kafka)
        {
            kafka.Start();
            if (kafka.Options.EnsureTopics)
            {
                // In the background: an unreachable broker must not hold up start-up.
                _ensure = kafka.EnsureTopicsAsync(_stopping.Token);
            }
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _ensure.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Creation was abandoned with the host; the brokers may still auto-create.
        }

        // Flushes now, within its own bound, while the host still waits for stop.
        if (transport is KafkaTransport kafka)
        {
            await kafka.DisposeAsync();
        }
    }
}
