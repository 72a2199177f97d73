using System.Collections.Concurrent;
using System.Threading.Channels;
using Analytics.Messaging;

namespace Analytics.Search.Tests.Indexing;

/// <summary>A transport whose group consumers read what the test writes and record every commit.</summary>
internal sealed class RecordingTransport : IStreamTransport
{
    private readonly ConcurrentDictionary<string, object> _channels = new();

    public string Name => "recording";

    public ConcurrentQueue<(string Stream, int Partition, long Offset)> Commits { get; } = new();

    public void Write<T>(StreamDescriptor<T> stream, StreamMessage<T> message) where T : class =>
        Channel(stream).Writer.TryWrite(message);

    private Channel<StreamMessage<T>> Channel<T>(StreamDescriptor<T> stream) where T : class =>
        (Channel<StreamMessage<T>>)_channels.GetOrAdd(stream.Name, _ => System.Threading.Channels.Channel.CreateUnbounded<StreamMessage<T>>());

    public IStreamConsumer<T> CreateGroupConsumer<T>(StreamDescriptor<T> stream, string group, ConsumerCallbacks? callbacks = null) where T : class =>
        new Consumer<T>(this, stream, Channel(stream));

    public IStreamProducer<T> GetProducer<T>(StreamDescriptor<T> stream) where T : class => throw new NotSupportedException();

    public IStreamConsumer<T> CreateReplayConsumer<T>(StreamDescriptor<T> stream) where T : class => throw new NotSupportedException();

    private sealed class Consumer<T>(RecordingTransport owner, StreamDescriptor<T> stream, Channel<StreamMessage<T>> channel) : IStreamConsumer<T> where T : class
    {
        public Task CaughtUp => Task.CompletedTask;

        public ValueTask<StreamMessage<T>> ReadAsync(CancellationToken cancellationToken) => channel.Reader.ReadAsync(cancellationToken);

        public void Commit(StreamMessage<T> message) => owner.Commits.Enqueue((stream.Name, message.Partition, message.Offset));

        public void Dispose()
        {
        }
    }
}
