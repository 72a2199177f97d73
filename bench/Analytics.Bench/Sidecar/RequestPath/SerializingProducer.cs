using Analytics.Messaging;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>Serialises each message as the Kafka drain loop does (<see cref="MessageSchema.Serialize{T}"/>) and keeps the last one.</summary>
internal sealed class SerializingProducer<T>(StreamDescriptor<T> stream) : IStreamProducer<T> where T : class
{
    private long _published;

    public T? LastMessage { get; private set; }

    public byte[] LastBytes { get; private set; } = [];

    public long Dropped => 0;

    public long Published => Interlocked.Read(ref _published);

    public bool TryPublish(string key, T message)
    {
        LastBytes = MessageSchema.Serialize(message, stream);
        LastMessage = message;
        Interlocked.Increment(ref _published);
        return true;
    }

    public Task PublishAsync(string key, T? message, CancellationToken cancellationToken = default)
    {
        if (message is not null)
        {
            TryPublish(key, message);
        }

        return Task.CompletedTask;
    }
}
