using System.Net;
using System.Text;
using Analytics.Messaging;
using Analytics.Messaging.Kafka;
using Analytics.Sidecar.Tests.Infrastructure;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>
/// Poisoned decisions written straight to the decisions topic (librdkafka's mock cluster) are
/// refused by a real sidecar, dead-lettered with the reason and counted; signed decisions made
/// through one sidecar's admin API are enforced by another sharing the key.
/// </summary>
public sealed class KafkaDecisionValidationTests
{
    private const string SigningKey = "test-decision-signing-key-0123456789abcdef";

    [Fact]
    public async Task Invalid_decisions_from_the_stream_are_dead_lettered_and_counted_not_applied()
    {
        using var cluster = new MockKafkaCluster();
        var options = cluster.Options("validate");
        var now = DateTimeOffset.UtcNow;
        var valid = Block("ok", "ip", "127.0.9.3", now);
        var poison = new (string Key, Decision Decision, string Reason)[]
        {
            ("cidr:0.0.0.0/0", Block("everyone4", "cidr", "0.0.0.0/0", now), DecisionRejections.RangeTooWide),
            ("cidr:::/0", Block("everyone6", "cidr", "::/0", now), DecisionRejections.RangeTooWide),
            ("cidr:::ffff:0.0.0.0/96", Block("mapped", "cidr", "::ffff:0.0.0.0/96", now), DecisionRejections.RangeTooWide),
            ("ip:127.0.9.4", Block("forever", "ip", "127.0.9.4", now) with { Expires = null }, DecisionRejections.NoExpiry),
            ("ip:127.0.9.5", Block("decade", "ip", "127.0.9.5", now) with { Expires = now.AddDays(3650) }, DecisionRejections.TtlTooLong),
            // The key says one entity, the value another: a compaction would keep the wrong one.
            ("ip:127.0.9.6", Block("mismatch", "ip", "127.0.9.7", now), DecisionRejections.KeyMismatch),
        };
        await PublishAsync(options, [(valid.Key, valid), .. poison.Select(p => (p.Key, p.Decision))]);

        await using var sidecar = await StartAsync(options, signingKey: null);
        using var admin = sidecar.Admin();
        await WaitReadyAsync(admin);

        foreach (var (address, expected) in new[]
                 {
                     ("127.0.9.3", HttpStatusCode.Forbidden), ("127.0.9.4", HttpStatusCode.OK), ("127.0.9.5", HttpStatusCode.OK),
                     ("127.0.9.6", HttpStatusCode.OK), ("127.0.9.7", HttpStatusCode.OK), ("127.0.9.50", HttpStatusCode.OK),
                 })
        {
            using var client = sidecar.Client(address);
            using var response = await client.GetAsync("/open/x");
            Assert.True(expected == response.StatusCode, $"{address}: expected {expected}, got {response.StatusCode}");
        }

        var stats = await (await admin.GetAsync("/stats")).JsonAsync();
        Assert.Equal(1, stats.GetProperty("decisions_in_force").GetInt32());
        Assert.Equal(poison.Length, stats.GetProperty("decisions_rejected").GetInt64());

        var letters = ReadAll(cluster, options.Topics.DeadLetter, poison.Length);
        foreach (var (key, _, reason) in poison)
        {
            var letter = Assert.Single(letters, l => l.Message.Key == key);
            Assert.Equal(reason, Header(letter, DeadLetterHeaders.Error));
            Assert.Equal(options.Topics.Decisions, Header(letter, DeadLetterHeaders.SourceTopic));
        }
    }

    [Fact]
    public async Task With_a_signing_key_unsigned_and_badly_signed_decisions_are_refused_and_admin_decisions_are_signed()
    {
        using var cluster = new MockKafkaCluster();
        var options = cluster.Options("signed");
        var now = DateTimeOffset.UtcNow;
        var signed = new DecisionSigner(SigningKey).Sign(Block("signed", "ip", "127.0.10.1", now));
        var unsigned = Block("unsigned", "ip", "127.0.10.2", now);
        var forged = new DecisionSigner("someone-else-key-0123456789abcdef0123").Sign(Block("forged", "ip", "127.0.10.3", now));
        // A valid signature over other values: the action was changed after signing.
        var tampered = new DecisionSigner(SigningKey).Sign(Block("tampered", "ip", "127.0.10.4", now) with { Action = DecisionActions.Allow }) with { Action = DecisionActions.Block };
        await PublishAsync(options, [(signed.Key, signed), (unsigned.Key, unsigned), (forged.Key, forged), (tampered.Key, tampered)]);

        await using var first = await StartAsync(options, SigningKey);
        using var firstAdmin = first.Admin();
        await WaitReadyAsync(firstAdmin);
        var stats = await (await firstAdmin.GetAsync("/stats")).JsonAsync();
        Assert.Equal(1, stats.GetProperty("decisions_in_force").GetInt32());
        Assert.Equal(3, stats.GetProperty("decisions_rejected").GetInt64());
        foreach (var (address, expected) in new[]
                 {
                     ("127.0.10.1", HttpStatusCode.Forbidden), ("127.0.10.2", HttpStatusCode.OK), ("127.0.10.3", HttpStatusCode.OK), ("127.0.10.4", HttpStatusCode.OK),
                 })
        {
            using var client = first.Client(address);
            using var response = await client.GetAsync("/open/x");
            Assert.True(expected == response.StatusCode, $"{address}: expected {expected}, got {response.StatusCode}");
        }

        var letters = ReadAll(cluster, options.Topics.DeadLetter, 3);
        Assert.Equal(DecisionRejections.NotSigned, Header(Assert.Single(letters, l => l.Message.Key == unsigned.Key), DeadLetterHeaders.Error));
        Assert.Equal(DecisionRejections.BadSignature, Header(Assert.Single(letters, l => l.Message.Key == forged.Key), DeadLetterHeaders.Error));
        Assert.Equal(DecisionRejections.BadSignature, Header(Assert.Single(letters, l => l.Message.Key == tampered.Key), DeadLetterHeaders.Error));

        // The admin API signs what it publishes: a second sidecar with the key enforces it.
        using var posted = await firstAdmin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"127.0.10.9","action":"block","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.False(string.IsNullOrEmpty((await posted.JsonAsync()).GetProperty("sig").GetString()));

        await using var second = await StartAsync(options, SigningKey);
        using var secondAdmin = second.Admin();
        await WaitReadyAsync(secondAdmin);
        using var blocked = second.Client("127.0.10.9");
        using var answer = await blocked.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
    }

    private static Decision Block(string id, string scope, string value, DateTimeOffset now) => new()
    {
        Id = id, Scope = scope, Value = value, Action = DecisionActions.Block, Reason = "validation test",
        Source = "rule:test", Created = now, Expires = now.AddMinutes(30),
    };

    private static async Task PublishAsync(KafkaStreamsOptions options, IEnumerable<(string Key, Decision Decision)> messages)
    {
        using var transport = new KafkaTransport(Options.Create(new StreamsOptions { Transport = "Kafka", Kafka = options }), NullLoggerFactory.Instance);
        var producer = transport.GetProducer(Streams.Decisions);
        foreach (var (key, decision) in messages)
        {
            await producer.PublishAsync(key, decision);
        }
    }

    private static Task<TestSidecar> StartAsync(KafkaStreamsOptions options, string? signingKey) => TestSidecar.StartAsync(c =>
    {
        foreach (var (key, value) in MockKafkaCluster.Settings(options))
        {
            c[key] = value;
        }
        if (signingKey is not null)
        {
            c["Sidecar:Decisions:SigningKey"] = signingKey;
        }
    }, captureEvents: false);

    private static Task WaitReadyAsync(HttpClient admin) => HttpExtensions.EventuallyAsync(async () =>
    {
        using var ready = await admin.GetAsync("/readyz");
        return ready.StatusCode == HttpStatusCode.OK;
    }, "the sidecar to catch up", attempts: 600);

    private static List<ConsumeResult<string, byte[]>> ReadAll(MockKafkaCluster cluster, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid(),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AllowAutoCreateTopics = true,
        }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        Assert.True(results.Count == expected, $"read {results.Count} of {expected} dead letters from {topic}");
        return results;
    }

    private static string Header(ConsumeResult<string, byte[]> result, string name) =>
        Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(name));
}
