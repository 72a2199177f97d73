using Analytics.Messaging;
using Confluent.Kafka;

namespace Analytics.Sidecar.Tests.Infrastructure;

/// <summary>
/// The in-process transport with two faults a test can switch: replay consumers that have not
/// caught up (as a slow Kafka catch-up looks), and replay consumers that fail with a fatal Kafka
/// error (as a lost cluster or a revoked credential does) until recovered.
/// </summary>
internal sealed class FaultyStreamTransport(IStreamTransport inner) : IStreamTransport
{
    private readonly TaskCompletionSource _catchUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => inner.Name;

    /// <summary>Replay consumers report caught up only after <see cref="ReleaseCatchUp"/>.</summary>
    public bool HoldCatchUp { get; init; }

    public void ReleaseCatchUp() => _catchUp.TrySetResult();

    /// <summary>Every replay consumer's reads now fail, until <see cref="Recover"/>.</summary>
    public void Fail() => Volatile.Read(ref _failure).TrySetResult();

    public void Recover() => Volatile.Write(ref _failure, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public IStreamProducer<T> GetProducer<T>(StreamDescriptor<T> stream) where T : class => inner.GetProducer(stream);

    public IStreamConsumer<T> CreateGroupConsumer<T>(StreamDescriptor<T> stream, string group, ConsumerCallbacks? callbacks = null) where T : class =>
        inner.CreateGroupConsumer(stream, group, callbacks);

    public IStreamConsumer<T> CreateReplayConsumer<T>(StreamDescriptor<T> stream) where T : class =>
        new Consumer<T>(this, inner.CreateReplayConsumer(stream));

    private sealed class Consumer<T>(FaultyStreamTransport owner, IStreamConsumer<T> inner) : IStreamConsumer<T> where T : class
    {
        private Task<StreamMessage<T>>? _pending;

        public Task CaughtUp { get; } = owner.HoldCatchUp ? Task.WhenAll(inner.CaughtUp, owner._catchUp.Task) : inner.CaughtUp;

        public async ValueTask<StreamMessage<T>> ReadAsync(CancellationToken cancellationToken)
        {
            var failure = Volatile.Read(ref owner._failure).Task;
            var read = _pending ??= inner.ReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(read, failure) != read)
            {
                throw new KafkaException(new Error(ErrorCode.Local_Fatal, "injected fatal error"));
            }

            _pending = null;
            return await read;
        }

        public void Commit(StreamMessage<T> message) => inner.Commit(message);

        public void Dispose() => inner.Dispose();
    }
}
