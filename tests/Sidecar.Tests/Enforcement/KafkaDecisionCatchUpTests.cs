using System.Net;
using Analytics.Messaging;
using Analytics.Messaging.Kafka;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>A fresh sidecar over Kafka rebuilds its blocklist from the compacted topic before it reports ready.</summary>
public sealed class KafkaDecisionCatchUpTests
{
    [Fact]
    public async Task Fresh_sidecar_enforces_exactly_the_live_decisions_and_only_then_is_ready()
    {
        using var cluster = new MockKafkaCluster();
        var options = cluster.Options("catchup");

        // 10,000 decisions on 127.1.x.y, then tombstones for every even one.
        var now = DateTimeOffset.UtcNow;
        using (var transport = new KafkaTransport(Options.Create(new StreamsOptions { Transport = "Kafka", Kafka = options }), NullLoggerFactory.Instance))
        {
            var producer = transport.GetProducer(Streams.Decisions);
            var publishes = new List<Task>();
            for (var i = 0; i < 10_000; i++)
            {
                var d = new Decision
                {
                    Id = $"d{i}", Scope = DecisionScopes.Ip, Value = Address(i), Action = DecisionActions.Block,
                    Reason = "catch-up test", Source = "manual", Created = now, Expires = now.AddHours(1),
                };
                publishes.Add(producer.PublishAsync(d.Key, d));
            }

            await Task.WhenAll(publishes);
            publishes.Clear();
            for (var i = 0; i < 10_000; i += 2)
            {
                publishes.Add(producer.PublishAsync(Decision.DecisionKey(DecisionScopes.Ip, Address(i)), null));
            }

            await Task.WhenAll(publishes);
        }

        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            foreach (var (key, value) in MockKafkaCluster.Settings(options))
            {
                c[key] = value;
            }
        }, captureEvents: false);
        using var admin = sidecar.Admin();

        // Not ready while catching up; ready once done, and then exactly the odd ones are in force.
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var ready = await admin.GetAsync("/readyz");
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var stats = await (await admin.GetAsync("/stats")).JsonAsync();
            Assert.Equal(5_000, stats.GetProperty("decisions_in_force").GetInt32());
            return true;
        }, "the sidecar to catch up", attempts: 600);

        foreach (var i in new[] { 0, 1, 2, 3, 9_998, 9_999 })
        {
            using var client = sidecar.Client(Address(i));
            using var response = await client.GetAsync("/open/x");
            Assert.Equal(i % 2 == 1 ? HttpStatusCode.Forbidden : HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static string Address(int i) => $"127.1.{i / 250}.{(i % 250) + 1}";
}
