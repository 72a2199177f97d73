using System.Diagnostics.Metrics;
using Analytics.Messaging.InProcess;
using Analytics.Messaging.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.Messaging.Tests.Kafka;

/// <summary><c>analytics.streams.consumer.lag</c>: how far each consumer group is behind, on both transports.</summary>
[Collection(MockKafkaCollection.Name)]
public sealed class ConsumerLagTests(MockKafkaCluster cluster)
{
    [Fact]
    public async Task A_kafka_group_reports_what_is_left_behind_its_last_read()
    {
        using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = metrics.GetRequiredService<IMeterFactory>();
        await using var transport = new KafkaTransport(cluster.Options("lag"), meterFactory: meterFactory);
        var producer = transport.GetProducer(Streams.Alerts);
        for (var i = 0; i < 5; i++)
        {
            // One key: one partition, so the lag is that partition's.
            await producer.PublishAsync("same-key", Samples.Alert("same-key", "a" + i));
        }

        using var consumer = transport.CreateGroupConsumer(Streams.Alerts, "lag-group");
        var first = await consumer.ReadAsync(Eventually.Timeout());

        Assert.Equal("a0", first.Value!.Id);
        Assert.Equal(4, Lag(meterFactory, Streams.Alerts.Name, "lag-group"));
    }

    [Fact]
    public async Task An_in_process_group_reports_the_messages_waiting_in_its_queue()
    {
        using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = metrics.GetRequiredService<IMeterFactory>();
        var transport = new InProcessTransport(Options.Create(new StreamsOptions()), meterFactory);
        using var consumer = transport.CreateGroupConsumer(Streams.Alerts, "lag-group");
        var producer = transport.GetProducer(Streams.Alerts);
        for (var i = 0; i < 3; i++)
        {
            await producer.PublishAsync("k" + i, Samples.Alert("k" + i, "a" + i));
        }

        Assert.Equal(3, Lag(meterFactory, Streams.Alerts.Name, "lag-group"));
        await consumer.ReadAsync(Eventually.Timeout());
        Assert.Equal(2, Lag(meterFactory, Streams.Alerts.Name, "lag-group"));
    }

    private static long Lag(IMeterFactory factory, string stream, string group)
    {
        long? lag = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "analytics.streams.consumer.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? s = null, g = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "stream")
                {
                    s = tag.Value as string;
                }
                else if (tag.Key == "group")
                {
                    g = tag.Value as string;
                }
            }

            if (s == stream && g == group)
            {
                lag = value;
            }
        }

        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Record(value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return lag ?? -1;
    }
}
