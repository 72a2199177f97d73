using System.Collections.Concurrent;
using System.Text;
using Analytics.Messaging.Kafka;
using Confluent.Kafka;

namespace Analytics.Messaging.Tests.Kafka;

[Collection(MockKafkaCollection.Name)]
public sealed class KafkaTransportTests(MockKafkaCluster cluster)
{
    [Fact]
    public async Task Each_message_type_round_trips_with_its_key()
    {
        var options = cluster.Options("roundtrip");
        await using var transport = new KafkaTransport(options);

        var request = Samples.Request(1, "198.51.100.7");
        Assert.True(transport.GetProducer(Streams.Requests).TryPublish(request.ClientIp, request));
        var decision = Samples.Decision("198.51.100.7", "d1");
        await transport.GetProducer(Streams.Decisions).PublishAsync(decision.Key, decision);
        await transport.GetProducer(Streams.Decisions).PublishAsync(decision.Key, null);
        var alert = Samples.Alert("brute_force:ip:198.51.100.7", "a1");
        await transport.GetProducer(Streams.Alerts).PublishAsync(alert.DedupKey, alert);

        using (var requests = transport.CreateGroupConsumer(Streams.Requests, "rt-" + Guid.NewGuid()))
        {
            var read = await requests.ReadAsync(Eventually.Timeout());
            Assert.Equal("198.51.100.7", read.Key);
            Assert.Equal(Json(request, Streams.Requests), Json(read.Value!, Streams.Requests));
        }

        using (var decisions = transport.CreateReplayConsumer(Streams.Decisions))
        {
            var set = await decisions.ReadAsync(Eventually.Timeout());
            Assert.Equal("ip:198.51.100.7", set.Key);
            Assert.Equal(Json(decision, Streams.Decisions), Json(set.Value!, Streams.Decisions));
            var tombstone = await decisions.ReadAsync(Eventually.Timeout());
            Assert.Equal("ip:198.51.100.7", tombstone.Key);
            Assert.Null(tombstone.Value);
            Assert.True(decisions.CaughtUp.IsCompleted);
        }

        using (var alerts = transport.CreateGroupConsumer(Streams.Alerts, "rt-" + Guid.NewGuid()))
        {
            var read = await alerts.ReadAsync(Eventually.Timeout());
            Assert.Equal(alert.DedupKey, read.Key);
            Assert.Equal(Json(alert, Streams.Alerts), Json(read.Value!, Streams.Alerts));
        }

        Assert.Equal(1, transport.GetProducer(Streams.Requests).Published);
        Assert.Equal(0, transport.GetProducer(Streams.Requests).Dropped);
    }

    [Fact]
    public async Task Replay_consumer_ends_catch_up_with_exactly_the_live_decisions_then_follows()
    {
        var options = cluster.Options("catchup");
        await using var transport = new KafkaTransport(options);
        var producer = transport.GetProducer(Streams.Decisions);
        var expected = new Dictionary<string, string>();
        var random = new Random(42);
        var pending = new List<Task>();
        for (var i = 0; i < 10_000; i++)
        {
            var ip = $"10.0.{random.Next(8)}.{random.Next(250)}";
            var key = Decision.DecisionKey(DecisionScopes.Ip, ip);
            // One producer, in order: the last write per key is what compaction would keep.
            if (random.Next(3) == 0)
            {
                pending.Add(producer.PublishAsync(key, null));
                expected.Remove(key);
            }
            else
            {
                pending.Add(producer.PublishAsync(key, Samples.Decision(ip, "d" + i)));
                expected[key] = "d" + i;
            }
        }

        await Task.WhenAll(pending).WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(10_000, producer.Published);

        using var replay = transport.CreateReplayConsumer(Streams.Decisions);
        var state = new Dictionary<string, string>();
        var read = 0;
        var timeout = Eventually.Timeout(TimeSpan.FromMinutes(2));
        while (!replay.CaughtUp.IsCompleted)
        {
            InProcess.InProcessTransportTests.Apply(state, await replay.ReadAsync(timeout));
            read++;
        }

        Assert.Equal(10_000, read);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(p => p.Key), state.OrderBy(p => p.Key));

        await producer.PublishAsync("ip:192.0.2.1", Samples.Decision("192.0.2.1", "after"));
        var live = await replay.ReadAsync(Eventually.Timeout());
        Assert.Equal("after", live.Value!.Id);
    }

    [Fact]
    public async Task Uncommitted_alert_is_delivered_again_to_the_group_and_a_committed_one_is_not()
    {
        var options = cluster.Options("atleastonce");
        await using var transport = new KafkaTransport(options);
        var producer = transport.GetProducer(Streams.Alerts);
        var group = "alerts-" + Guid.NewGuid();
        await producer.PublishAsync("k1", Samples.Alert("k1", "first"));

        StreamMessage<Alert> seen;
        using (var crashed = transport.CreateGroupConsumer(Streams.Alerts, group))
        {
            seen = await crashed.ReadAsync(Eventually.Timeout());
            Assert.Equal("first", seen.Value!.Id);
            // Stops without committing.
        }

        using (var next = transport.CreateGroupConsumer(Streams.Alerts, group))
        {
            var again = await next.ReadAsync(Eventually.Timeout());
            Assert.Equal("first", again.Value!.Id);
            Assert.Equal((seen.Partition, seen.Offset), (again.Partition, again.Offset));
            next.Commit(again);
        }

        await producer.PublishAsync("k2", Samples.Alert("k2", "second"));
        using var last = transport.CreateGroupConsumer(Streams.Alerts, group);
        var after = await last.ReadAsync(Eventually.Timeout());
        Assert.Equal("second", after.Value!.Id);
    }

    [Fact]
    public async Task A_blocking_read_loop_commits_what_it_committed_and_only_that_when_it_closes()
    {
        // The blocking Read's commits are handed to librdkafka in bulk; closing (its revocation, then the close) must still store the last of them.
        var options = cluster.Options("blockingcommit");
        await using var transport = new KafkaTransport(options);
        var producer = transport.GetProducer(Streams.Alerts);
        var group = "alerts-" + Guid.NewGuid();
        const int count = 200;
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => producer.PublishAsync("same-key", Samples.Alert("same-key", "a" + i))));

        using (var loop = transport.CreateGroupConsumer(Streams.Alerts, group))
        {
            for (var i = 0; i < count - 1; i++)
            {
                var message = loop.Read(Eventually.DefaultTimeout, CancellationToken.None);
                Assert.Equal("a" + i, message!.Value!.Id);
                loop.Commit(message);
            }

            // The last one is read but not committed: it must be delivered again, and nothing before it.
            Assert.Equal("a" + (count - 1), loop.Read(Eventually.DefaultTimeout, CancellationToken.None)!.Value!.Id);
        }

        using var next = transport.CreateGroupConsumer(Streams.Alerts, group);
        Assert.Equal("a" + (count - 1), (await next.ReadAsync(Eventually.Timeout())).Value!.Id);
    }

    [Fact]
    public async Task Two_group_members_split_the_partitions_and_every_event_is_processed()
    {
        var options = cluster.Options("split");
        await using var transport = new KafkaTransport(options);
        var producer = transport.GetProducer(Streams.Requests);
        // Creates the topic (the mock cluster auto-creates it with several partitions).
        Assert.True(producer.TryPublish("warmup", Samples.Request(-1, "warmup")));
        await Eventually.HoldsAsync(() => producer.Published == 1, "the warm-up event is delivered");

        var group = "analyzer-" + Guid.NewGuid();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var members = new[] { new Member(), new Member() };
        var consumers = members.Select(m => transport.CreateGroupConsumer(Streams.Requests, group, m.Callbacks)).ToArray();
        var loops = consumers.Select((c, i) => Task.Run(() => members[i].RunAsync(c, stop.Token))).ToArray();
        try
        {
            await Eventually.HoldsAsync(
                () => members.All(m => !m.Assigned.IsEmpty) && members.Sum(m => m.Assigned.Count) >= 2
                      && !members[0].Assigned.Keys.Intersect(members[1].Assigned.Keys).Any(),
                "both members hold disjoint partitions", TimeSpan.FromMinutes(2));

            const int count = 400;
            for (var i = 0; i < count; i++)
            {
                Assert.True(producer.TryPublish("10.1.0." + i, Samples.Request(i, "10.1.0." + i)));
            }

            await Eventually.HoldsAsync(
                () => members.SelectMany(m => m.Processed.Keys).Distinct().Count() == count,
                "every event was processed", TimeSpan.FromMinutes(2));

            foreach (var member in members)
            {
                Assert.NotEmpty(member.Processed);
                Assert.All(member.Partitions.Keys, p => Assert.True(member.Assigned.ContainsKey(p), $"read partition {p} it was not assigned"));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var consumer in consumers)
            {
                consumer.Dispose();
            }
        }
    }

    [Fact]
    public async Task Poison_message_goes_to_the_dead_letter_topic_and_the_consumer_reads_on()
    {
        var options = cluster.Options("poison");
        await using var transport = new KafkaTransport(options);
        var poison = Encoding.UTF8.GetBytes("{\"v\":1,\"id\": not json");
        using (var raw = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            // Partitioner as the transport's, so both messages land on the same partition in order.
            await raw.ProduceAsync(new TopicPartition(options.Topics.Alerts, 0), new Message<string, byte[]> { Key = "bad", Value = poison });
            var good = Samples.Alert("good", "good");
            await raw.ProduceAsync(new TopicPartition(options.Topics.Alerts, 0), new Message<string, byte[]> { Key = "good", Value = MessageSchema.Serialize(good, Streams.Alerts) });
        }

        var group = "alerts-" + Guid.NewGuid();
        using (var consumer = transport.CreateGroupConsumer(Streams.Alerts, group))
        {
            var read = await consumer.ReadAsync(Eventually.Timeout());
            Assert.Equal("good", read.Value!.Id);
            // Leaves without committing the good one: only the poison message's offset is stored.
        }

        using (var again = transport.CreateGroupConsumer(Streams.Alerts, group))
        {
            var read = await again.ReadAsync(Eventually.Timeout());
            Assert.Equal("good", read.Value!.Id);
            again.Commit(read);
        }

        var dead = ReadAll(options.Topics.DeadLetter);
        var letter = Assert.Single(dead);
        Assert.Equal("bad", letter.Message.Key);
        Assert.Equal(poison, letter.Message.Value);
        Assert.Equal(options.Topics.Alerts, Header(letter, DeadLetterHeaders.SourceTopic));
        Assert.Equal("0", Header(letter, DeadLetterHeaders.SourcePartition));
        Assert.Equal("0", Header(letter, DeadLetterHeaders.SourceOffset));
        Assert.False(string.IsNullOrEmpty(Header(letter, DeadLetterHeaders.Error)));
        Assert.Equal("JsonException", Header(letter, DeadLetterHeaders.ErrorType));
    }

    /// <summary>Every message the topic holds now, from all its partitions.</summary>
    private List<ConsumeResult<string, byte[]>> ReadAll(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid(),
        }).Build();
        List<TopicPartition> partitions;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            partitions = [.. admin.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
        }

        var total = partitions.Sum(tp =>
        {
            var marks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30));
            return marks.High.Value - marks.Low.Value;
        });
        consumer.Assign(partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var results = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (results.Count < total)
        {
            Assert.True(DateTime.UtcNow < deadline, $"read {results.Count} of {total} messages from {topic}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    private static string Header(ConsumeResult<string, byte[]> result, string name) =>
        Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(name));

    private static string Json<T>(T value, StreamDescriptor<T> stream) where T : class =>
        Encoding.UTF8.GetString(MessageSchema.Serialize(value, stream));

    private sealed class Member
    {
        public ConcurrentDictionary<int, bool> Assigned { get; } = new();
        public ConcurrentDictionary<int, bool> Partitions { get; } = new();
        public ConcurrentDictionary<string, bool> Processed { get; } = new();

        public ConsumerCallbacks Callbacks => new()
        {
            PartitionsAssigned = ps =>
            {
                foreach (var p in ps)
                {
                    Assigned[p] = true;
                }
            },
            PartitionsRevoked = ps =>
            {
                foreach (var p in ps)
                {
                    Assigned.TryRemove(p, out _);
                }
            },
        };

        public async Task RunAsync(IStreamConsumer<RequestEvent> consumer, CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    var message = await consumer.ReadAsync(stop);
                    if (message.Value!.ClientIp != "warmup")
                    {
                        Processed[message.Value.RequestId] = true;
                        Partitions[message.Partition] = true;
                    }

                    consumer.Commit(message);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
