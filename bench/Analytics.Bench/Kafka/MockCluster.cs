using Confluent.Kafka;

namespace Analytics.Bench.Kafka;

/// <summary>A librdkafka mock cluster owned by one admin client; its brokers speak the real protocol on loopback.</summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IAdminClient _owner;

    public MockCluster(int brokers)
    {
        var config = new AdminClientConfig { BootstrapServers = "mock" };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = _owner.GetMetadata(TimeSpan.FromSeconds(30));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    public string BootstrapServers { get; }

    public void Dispose() => _owner.Dispose();
}
