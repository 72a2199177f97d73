using Analytics.Messaging.InProcess;

namespace Analytics.Messaging.Tests.InProcess;

public sealed class InProcessTransportTests
{
    [Fact]
    public async Task Group_consumer_disposed_without_commit_leaves_its_messages_to_the_next_member()
    {
        var transport = new InProcessTransport(capacity: 64);
        var producer = transport.GetProducer(Streams.Alerts);
        var first = transport.CreateGroupConsumer(Streams.Alerts, "alerts");
        await producer.PublishAsync("k1", Samples.Alert("k1", "a1"));
        await producer.PublishAsync("k2", Samples.Alert("k2", "a2"));

        var read = await first.ReadAsync(Eventually.Timeout());
        Assert.Equal("a1", read.Value!.Id);
        first.Dispose();

        using var second = transport.CreateGroupConsumer(Streams.Alerts, "alerts");
        var again = await second.ReadAsync(Eventually.Timeout());
        Assert.Equal("a1", again.Value!.Id);
        second.Commit(again);
        var next = await second.ReadAsync(Eventually.Timeout());
        Assert.Equal("a2", next.Value!.Id);
    }

    [Fact]
    public async Task Committed_messages_are_not_redelivered()
    {
        var transport = new InProcessTransport(capacity: 64);
        var producer = transport.GetProducer(Streams.Alerts);
        var first = transport.CreateGroupConsumer(Streams.Alerts, "alerts");
        await producer.PublishAsync("k1", Samples.Alert("k1", "a1"));
        first.Commit(await first.ReadAsync(Eventually.Timeout()));
        first.Dispose();

        await producer.PublishAsync("k2", Samples.Alert("k2", "a2"));
        using var second = transport.CreateGroupConsumer(Streams.Alerts, "alerts");
        Assert.Equal("a2", (await second.ReadAsync(Eventually.Timeout())).Value!.Id);
    }

    [Fact]
    public async Task Replay_consumer_catches_up_with_the_compacted_state_then_follows()
    {
        var transport = new InProcessTransport(capacity: 64);
        var producer = transport.GetProducer(Streams.Decisions);
        var expected = new Dictionary<string, string>();
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var ip = "10.0.0." + random.Next(40);
            var key = Decision.DecisionKey(DecisionScopes.Ip, ip);
            if (random.Next(4) == 0)
            {
                await producer.PublishAsync(key, null);
                expected.Remove(key);
            }
            else
            {
                await producer.PublishAsync(key, Samples.Decision(ip, "d" + i));
                expected[key] = "d" + i;
            }
        }

        using var replay = transport.CreateReplayConsumer(Streams.Decisions);
        var state = new Dictionary<string, string>();
        while (!replay.CaughtUp.IsCompleted)
        {
            Apply(state, await replay.ReadAsync(Eventually.Timeout()));
        }

        Assert.Equal(expected.OrderBy(p => p.Key), state.OrderBy(p => p.Key));

        await producer.PublishAsync("ip:192.0.2.1", Samples.Decision("192.0.2.1", "live"));
        var live = await replay.ReadAsync(Eventually.Timeout());
        Assert.Equal("live", live.Value!.Id);
    }

    [Fact]
    public async Task TryPublish_counts_exactly_what_did_not_fit()
    {
        var transport = new InProcessTransport(capacity: 16);
        using var consumer = transport.CreateGroupConsumer(Streams.Requests, "analyzer");
        var producer = transport.GetProducer(Streams.Requests);
        var rejected = 0;
        for (var i = 0; i < 100; i++)
        {
            if (!producer.TryPublish("203.0.113.9", Samples.Request(i)))
            {
                rejected++;
            }
        }

        Assert.Equal(84, rejected);
        Assert.Equal(84, producer.Dropped);
        Assert.Equal(16, producer.Published);

        // Room again once the consumer reads.
        await consumer.ReadAsync(Eventually.Timeout());
        Assert.True(producer.TryPublish("203.0.113.9", Samples.Request(100)));
    }

    internal static void Apply(Dictionary<string, string> state, StreamMessage<Decision> message)
    {
        if (message.Value is null)
        {
            state.Remove(message.Key);
        }
        else
        {
            state[message.Key] = message.Value.Id;
        }
    }
}
