namespace Analytics.Messaging.Tests.Kafka;

/// <summary>Tests that share one mock cluster.</summary>
[CollectionDefinition(Name)]
public sealed class MockKafkaCollection : ICollectionFixture<MockKafkaCluster>
{
    public const string Name = "mock kafka";
}
