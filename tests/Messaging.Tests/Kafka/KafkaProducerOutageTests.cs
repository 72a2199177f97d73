using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using Analytics.Messaging.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Messaging.Tests.Kafka;

/// <summary>The requests producer with no reachable broker: never blocks or throws, and counts every event it loses.</summary>
[Collection(MockKafkaCollection.Name)]
public sealed partial class KafkaProducerOutageTests(MockKafkaCluster cluster)
{
    private const int Buffer = 100;
    private const int LibrdkafkaQueue = 50;

    [Fact]
    public async Task Unreachable_broker_drops_exactly_what_exceeds_the_buffers_and_logs_it_at_a_bounded_rate()
    {
        var options = OutageOptions(cluster.Options("outage"), LoopbackForwarder.ClosedPort(), messageTimeoutMs: 600_000);
        var logs = new CapturingLoggerFactory();
        using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = metrics.GetRequiredService<IMeterFactory>();
        long metered = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meterFactory && instrument.Name == "analytics.streams.dropped")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref metered, value));
        listener.Start();
        var transport = new KafkaTransport(options, logs, meterFactory);
        var producer = transport.ProducerFor(Streams.Requests);

        var rejected = PublishBurst(producer, 0, 1000);
        // librdkafka's queue fills and the drain loop stops there; our buffer holds the rest.
        await Eventually.HoldsAsync(() => producer.InFlight == LibrdkafkaQueue, "librdkafka's queue is full");
        rejected += PublishBurst(producer, 1000, 500);
        await Eventually.HoldsAsync(() => producer.Buffered == Buffer, "the buffer is full");

        Assert.Equal(1500 - Buffer - LibrdkafkaQueue, rejected);
        Assert.Equal(rejected, producer.Dropped);
        Assert.Equal(rejected, producer.Rejected);
        Assert.Equal(0, producer.DeliveryFailed);
        Assert.Equal(0, producer.Published);
        Assert.Equal(rejected, Interlocked.Read(ref metered));

        await Eventually.HoldsAsync(() => LoggedDrops(logs) == rejected, "the drop log reports every drop");

        // Shutdown cannot deliver either: what was still buffered is counted too.
        await transport.DisposeAsync();
        Assert.Equal(1500, producer.Dropped);
        Assert.Equal(1500, LoggedDrops(logs));
        Assert.Equal(1500, Interlocked.Read(ref metered));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("req-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_librdkafka_gives_up_on_after_message_timeout_are_counted_as_dropped()
    {
        var options = OutageOptions(cluster.Options("timeout"), LoopbackForwarder.ClosedPort(), messageTimeoutMs: 1000);
        await using var transport = new KafkaTransport(options);
        var producer = transport.ProducerFor(Streams.Requests);

        var rejected = PublishBurst(producer, 0, 1000);
        await Eventually.HoldsAsync(() => producer.Buffered == 0 && producer.InFlight == 0, "every accepted event has timed out");

        Assert.Equal(1000, producer.Dropped);
        Assert.Equal(rejected, producer.Rejected);
        Assert.Equal(1000 - rejected, producer.DeliveryFailed);
        Assert.Equal(0, producer.Published);
    }

    [Fact]
    public async Task Producer_resumes_by_itself_when_the_broker_comes_back()
    {
        var port = LoopbackForwarder.ClosedPort();
        var options = OutageOptions(cluster.Options("resume"), port, messageTimeoutMs: 600_000);
        await using var transport = new KafkaTransport(options);
        var producer = transport.ProducerFor(Streams.Requests);

        var rejected = PublishBurst(producer, 0, 1000);
        await Eventually.HoldsAsync(() => producer.InFlight == LibrdkafkaQueue, "librdkafka's queue is full");

        var first = cluster.BootstrapServers.Split(',')[0].Split(':');
        using var broker = new LoopbackForwarder(port, new IPEndPoint(IPAddress.Parse(first[0]), int.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture)));
        await Eventually.HoldsAsync(() => producer.Buffered == 0 && producer.InFlight == 0, "the backlog is delivered", TimeSpan.FromMinutes(2));

        Assert.Equal(1000 - rejected, producer.Published);
        Assert.Equal(rejected, producer.Dropped);
        Assert.Equal(0, PublishBurst(producer, 2000, 10));
        await Eventually.HoldsAsync(() => producer.Published == 1010 - rejected, "new events are delivered");
    }

    private static KafkaStreamsOptions OutageOptions(KafkaStreamsOptions options, int port, int messageTimeoutMs)
    {
        options.BootstrapServers = "127.0.0.1:" + port;
        options.RequestsBufferCapacity = Buffer;
        options.ProducerQueueMaxMessages = LibrdkafkaQueue;
        options.MessageTimeoutMs = messageTimeoutMs;
        options.FlushTimeoutSeconds = 1;
        options.Librdkafka["reconnect.backoff.max.ms"] = "500";
        return options;
    }

    private static int PublishBurst(IStreamProducer<RequestEvent> producer, int from, int count)
    {
        var rejected = 0;
        for (var i = from; i < from + count; i++)
        {
            if (!producer.TryPublish("203.0.113." + (i % 250), Samples.Request(i)))
            {
                rejected++;
            }
        }

        return rejected;
    }

    private static long LoggedDrops(CapturingLoggerFactory logs) =>
        logs.Lines(3101).Sum(line => long.Parse(DroppedCount().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"dropped (\d+) message")]
    private static partial Regex DroppedCount();
}
