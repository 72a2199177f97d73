using Analytics.Messaging.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Messaging.Tests.Kafka;

public sealed class KafkaOptionsTests
{
    [Fact]
    public void Kafka_transport_is_registered_with_its_hosted_service()
    {
        using var services = Build(new() { ["Streams:Transport"] = "Kafka", ["Streams:Kafka:BootstrapServers"] = "kafka:9092" });

        var transport = services.GetRequiredService<IStreamTransport>();
        Assert.IsType<KafkaTransport>(transport);
        Assert.Equal("kafka", transport.Name);
        Assert.Contains(services.GetServices<IHostedService>(), s => s is KafkaStreamsService);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once_with_its_key_and_no_secret()
    {
        using var services = Build(new()
        {
            ["Streams:Transport"] = "Kafka",
            ["Streams:Kafka:BootstrapServers"] = "kafka",
            ["Streams:Kafka:SaslPassword"] = "hunter2-very-secret",
            ["Streams:Kafka:Partitions:Requests"] = "0",
            ["Streams:Kafka:Topics:Alerts"] = "bad topic",
            ["Streams:Kafka:RequestsBufferCapacity"] = "0",
            ["Streams:Kafka:Compression"] = "brotli",
            ["Streams:Kafka:Librdkafka:enable.idempotence"] = "false",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StreamsOptions>>().Value);
        var failures = string.Join("\n", ex.Failures);
        Assert.Contains("Streams:Kafka:BootstrapServers: 'kafka' is not host:port", failures, StringComparison.Ordinal);
        Assert.Contains("Streams:Kafka:SecurityProtocol:", failures, StringComparison.Ordinal);
        Assert.Contains("Streams:Kafka:Partitions:Requests:", failures, StringComparison.Ordinal);
        Assert.Contains("Streams:Kafka:Topics:Alerts:", failures, StringComparison.Ordinal);
        Assert.Contains("Streams:Kafka:RequestsBufferCapacity:", failures, StringComparison.Ordinal);
        Assert.Contains("Streams:Kafka:Compression:", failures, StringComparison.Ordinal);
        Assert.Contains("Streams:Kafka:Librdkafka:enable.idempotence:", failures, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Sasl_protocol_requires_mechanism_and_credentials()
    {
        using var services = Build(new()
        {
            ["Streams:Transport"] = "Kafka",
            ["Streams:Kafka:BootstrapServers"] = "broker-1:9093,broker-2:9093",
            ["Streams:Kafka:SecurityProtocol"] = "SASL_SSL",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StreamsOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.StartsWith("Streams:Kafka:SaslMechanism:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Streams:Kafka:SaslUsername:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Streams:Kafka:SaslPassword:", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_keys_are_rejected()
    {
        using var services = Build(new() { ["Streams:Transport"] = "Kafka", ["Streams:Kafka:BootstrapServer"] = "kafka:9092" });

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<StreamsOptions>>().Value);
        Assert.Contains("BootstrapServer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Topic_names_default_to_the_stream_contract_and_can_be_overridden()
    {
        using var services = Build(new()
        {
            ["Streams:Transport"] = "Kafka",
            ["Streams:Kafka:BootstrapServers"] = "kafka:9092",
            ["Streams:Kafka:Topics:Requests"] = "shop.requests",
            ["Streams:Kafka:SecurityProtocol"] = "SaslSsl",
            ["Streams:Kafka:SaslMechanism"] = "SCRAM-SHA-512",
            ["Streams:Kafka:SaslUsername"] = "sidecar",
            ["Streams:Kafka:SaslPassword"] = "pw",
        });

        var kafka = services.GetRequiredService<IOptions<StreamsOptions>>().Value.Kafka;
        Assert.Equal("shop.requests", KafkaClientSettings.TopicFor(kafka, Streams.Requests));
        Assert.Equal(Streams.Decisions.DefaultTopic, KafkaClientSettings.TopicFor(kafka, Streams.Decisions));
        Assert.Equal(Streams.Alerts.DefaultTopic, KafkaClientSettings.TopicFor(kafka, Streams.Alerts));
        Assert.Equal("analytics.deadletter", kafka.Topics.DeadLetter);

        var producer = KafkaClientSettings.Producer(kafka);
        Assert.True(producer.EnableIdempotence);
        Assert.Equal(Confluent.Kafka.Acks.All, producer.Acks);
        Assert.Equal(Confluent.Kafka.SecurityProtocol.SaslSsl, producer.SecurityProtocol);
        Assert.Equal(Confluent.Kafka.SaslMechanism.ScramSha512, producer.SaslMechanism);
        var consumer = KafkaClientSettings.GroupConsumer(kafka, "analyzer");
        Assert.True(consumer.EnableAutoCommit);
        Assert.False(consumer.EnableAutoOffsetStore);
    }

    [Fact]
    public void Every_consumer_waits_at_most_the_configured_fetch_wait_at_an_idle_broker()
    {
        // librdkafka's 500 ms default, spent whole by a broker that does not cut the wait short (the
        // mock cluster), put one or two such waits between a crossed threshold and the first 403
        // (issue 14: p99 1.04 s before, 0.25 s at 100 ms, bench time-to-block-kafka).
        var kafka = Options(new() { ["Streams:Transport"] = "Kafka", ["Streams:Kafka:BootstrapServers"] = "kafka:9092" });
        Assert.Equal(100, kafka.FetchWaitMaxMs);
        Assert.Equal(100, KafkaClientSettings.GroupConsumer(kafka, "analyzer").FetchWaitMaxMs);
        Assert.Equal(100, KafkaClientSettings.ReplayConsumer(kafka).FetchWaitMaxMs);

        var tuned = Options(new()
        {
            ["Streams:Transport"] = "Kafka",
            ["Streams:Kafka:BootstrapServers"] = "kafka:9092",
            ["Streams:Kafka:FetchWaitMaxMs"] = "40",
        });
        Assert.Equal(40, KafkaClientSettings.GroupConsumer(tuned, "analyzer").FetchWaitMaxMs);
        Assert.Equal(40, KafkaClientSettings.ReplayConsumer(tuned).FetchWaitMaxMs);
    }

    [Theory]
    [InlineData("Streams:Kafka:FetchWaitMaxMs", "0", "Streams:Kafka:FetchWaitMaxMs:")]
    [InlineData("Streams:Kafka:FetchWaitMaxMs", "60000", "Streams:Kafka:FetchWaitMaxMs:")]
    [InlineData("Streams:Kafka:Librdkafka:fetch.wait.max.ms", "500", "Streams:Kafka:Librdkafka:fetch.wait.max.ms:")]
    public void A_fetch_wait_out_of_range_or_set_behind_its_option_stops_start_up(string key, string value, string reported)
    {
        using var services = Build(new() { ["Streams:Transport"] = "Kafka", ["Streams:Kafka:BootstrapServers"] = "kafka:9092", [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StreamsOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.StartsWith(reported, StringComparison.Ordinal));
    }

    [Fact]
    public void In_process_stays_the_default()
    {
        using var services = Build([]);
        Assert.Equal("in-process", services.GetRequiredService<IStreamTransport>().Name);
    }

    private static KafkaStreamsOptions Options(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        return services.GetRequiredService<IOptions<StreamsOptions>>().Value.Kafka;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStreams(configuration);
        return services.BuildServiceProvider();
    }
}
