using System.Text;
using Analytics.Messaging.Kafka;
using Confluent.Kafka;

namespace Analytics.Messaging.Tests.Kafka;

/// <summary>Request events of one key share Kafka records (one JSON document per line); every consumer reads them one by one.</summary>
[Collection(MockKafkaCollection.Name)]
public sealed class SharedRecordTests(MockKafkaCluster cluster)
{
    [Fact]
    public async Task Request_events_of_one_key_share_records_and_are_read_one_by_one_in_order()
    {
        var options = cluster.Options("shared");
        await using var transport = new KafkaTransport(options);
        var producer = transport.GetProducer(Streams.Requests);
        string[] clients = ["198.51.100.1", "198.51.100.2", "2001:db8::/64"];
        const int count = 300;
        var sent = new List<RequestEvent>();
        for (var i = 0; i < count; i++)
        {
            var e = Samples.Request(i, clients[i % clients.Length]);
            sent.Add(e);
            Assert.True(producer.TryPublish(e.ClientIp, e));
        }

        // Counted per event, not per record.
        await Eventually.HoldsAsync(() => producer.Published == count, "every event is acknowledged");
        Assert.Equal(0, producer.Dropped);

        var records = cluster.ReadRecords(options.Topics.Requests, Eventually.DefaultTimeout);
        Assert.True(records.Count < count / 3, $"{records.Count} records for {count} events: events of one key should share records");
        foreach (var record in records)
        {
            var lines = Encoding.UTF8.GetString(record.Message.Value).Split('\n');
            Assert.All(lines, line => Assert.Contains($"\"client_ip\":\"{record.Message.Key}\"", line, StringComparison.Ordinal));
        }

        // Per key, the records' lines in offset order are the events in the order they were published.
        foreach (var client in clients)
        {
            var written = records.Where(r => r.Message.Key == client).OrderBy(r => r.Offset.Value)
                .SelectMany(r => Encoding.UTF8.GetString(r.Message.Value).Split('\n')).ToList();
            Assert.Equal(sent.Where(e => e.ClientIp == client).Select(Json).ToList(), written);
        }

        using var consumer = transport.CreateGroupConsumer(Streams.Requests, "shared-" + Guid.NewGuid());
        var read = new List<StreamMessage<RequestEvent>>();
        while (read.Count < count)
        {
            read.Add(await consumer.ReadAsync(Eventually.Timeout()));
        }

        foreach (var client in clients)
        {
            Assert.Equal(sent.Where(e => e.ClientIp == client).Select(e => e.RequestId), read.Where(m => m.Key == client).Select(m => m.Value!.RequestId));
        }
    }

    [Fact]
    public async Task A_shared_record_is_committed_only_with_its_last_event()
    {
        var options = cluster.Options("sharedcommit");
        await using var transport = new KafkaTransport(options);
        await ProduceRawAsync(options.Topics.Requests, "203.0.113.5", Lines(Json(Samples.Request(1)), Json(Samples.Request(2)), Json(Samples.Request(3))));
        var group = "shared-" + Guid.NewGuid();

        using (var crashed = transport.CreateGroupConsumer(Streams.Requests, group))
        {
            var first = crashed.Read(Eventually.DefaultTimeout, CancellationToken.None)!;
            var second = crashed.Read(Eventually.DefaultTimeout, CancellationToken.None)!;
            Assert.Equal(["req-1", "req-2"], new[] { first.Value!.RequestId, second.Value!.RequestId });
            Assert.Equal(first.Offset, second.Offset);
            crashed.Commit(first);
            crashed.Commit(second);
            Assert.Equal("req-3", crashed.Read(Eventually.DefaultTimeout, CancellationToken.None)!.Value!.RequestId);
            // Stops before the third event is done: the record is not behind the group yet.
        }

        using (var next = transport.CreateGroupConsumer(Streams.Requests, group))
        {
            var again = new[] { await next.ReadAsync(Eventually.Timeout()), await next.ReadAsync(Eventually.Timeout()), await next.ReadAsync(Eventually.Timeout()) };
            Assert.Equal(["req-1", "req-2", "req-3"], again.Select(m => m.Value!.RequestId));
            foreach (var message in again)
            {
                next.Commit(message);
            }
        }

        await ProduceRawAsync(options.Topics.Requests, "203.0.113.5", Encoding.UTF8.GetBytes(Json(Samples.Request(4))));
        using var last = transport.CreateGroupConsumer(Streams.Requests, group);
        Assert.Equal("req-4", (await last.ReadAsync(Eventually.Timeout())).Value!.RequestId);
    }

    [Fact]
    public async Task A_line_that_does_not_decode_is_dead_lettered_alone_and_the_others_are_delivered()
    {
        var options = cluster.Options("sharedpoison");
        await using var transport = new KafkaTransport(options);
        const string bad = "{\"v\":1,\"request_id\": not json";
        await ProduceRawAsync(options.Topics.Requests, "203.0.113.6", Lines(Json(Samples.Request(1)), bad, Json(Samples.Request(2)), ""));

        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "shared-" + Guid.NewGuid()))
        {
            var first = await consumer.ReadAsync(Eventually.Timeout());
            var second = await consumer.ReadAsync(Eventually.Timeout());
            Assert.Equal(["req-1", "req-2"], new[] { first.Value!.RequestId, second.Value!.RequestId });
        }

        var letter = Assert.Single(cluster.ReadRecords(options.Topics.DeadLetter, Eventually.DefaultTimeout));
        Assert.Equal("203.0.113.6", letter.Message.Key);
        Assert.Equal(bad, Encoding.UTF8.GetString(letter.Message.Value));
        Assert.Equal(options.Topics.Requests, Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(DeadLetterHeaders.SourceTopic)));
    }

    private static string Json(RequestEvent e) => Encoding.UTF8.GetString(MessageSchema.Serialize(e, Streams.Requests));

    private static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines));

    private async Task ProduceRawAsync(string topic, string key, byte[] value)
    {
        using var raw = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        await raw.ProduceAsync(new TopicPartition(topic, 0), new Message<string, byte[]> { Key = key, Value = value });
    }

}
