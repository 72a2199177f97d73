using Analytics.Messaging;
using Analytics.Messaging.Kafka;

namespace Analytics.Bench.Kafka;

/// <summary>
/// For bench/kafka-interop.sh: starts a mock cluster, prints <c>BOOTSTRAP=host:port,...</c>,
/// publishes sample RequestEvents to <c>analytics.requests</c> through the real transport, prints
/// <c>READY</c>, then keeps the cluster up until stdin closes or the time limit passes.
/// </summary>
internal static class KafkaMockBroker
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 120;
        using var cluster = new MockCluster(brokers: 1);
        Console.WriteLine("BOOTSTRAP=" + cluster.BootstrapServers);

        await using (var transport = new KafkaTransport(new KafkaStreamsOptions { BootstrapServers = cluster.BootstrapServers, ClientId = "interop" }))
        {
            var producer = transport.GetProducer(Streams.Requests);
            for (var i = 0; i < count; i++)
            {
                var e = KafkaThroughput.Sample(i);
                producer.TryPublish(e.ClientIp, e);
            }

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (producer.Published < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Console.WriteLine($"PUBLISHED={producer.Published} DROPPED={producer.Dropped}");
        }

        Console.WriteLine("READY");
        // Keeps the cluster (owned by this process) alive for the reader.
        var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        await Task.WhenAny(stdinClosed, Task.Delay(TimeSpan.FromSeconds(seconds)));
        return 0;
    }
}
