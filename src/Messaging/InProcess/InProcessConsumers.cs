using System.Threading.Channels;

namespace Analytics.Messaging.InProcess;

/// <summary>Group consumer over an in-process queue; what it read and did not commit is redelivered after it is disposed.</summary>
internal sealed class InProcessGroupConsumer<T>(GroupQueue<T> queue) : IStreamConsumer<T> where T : class
{
    private readonly LinkedList<StreamMessage<T>> _inFlight = new();
    private bool _disposed;

    public Task CaughtUp => Task.CompletedTask;

    public async ValueTask<StreamMessage<T>> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!queue.Redeliver.TryDequeue(out var msg))
        {
            msg = await queue.Channel.Reader.ReadAsync(cancellationToken);
        }

        lock (_inFlight)
        {
            _inFlight.AddLast(msg);
        }

        return msg;
    }

    public StreamMessage<T>? Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (queue.Redeliver.TryDequeue(out var msg) || queue.Channel.Reader.TryRead(out msg))
        {
            lock (_inFlight)
            {
                _inFlight.AddLast(msg);
            }

            return msg;
        }

        // Nothing waiting: block for the next one (a cancelled channel read takes nothing).
        return BlockingRead.Wait(this, timeout, cancellationToken);
    }

    public void Commit(StreamMessage<T> message)
    {
        lock (_inFlight)
        {
            // Offsets within the single in-process partition only grow, so committing one
            // commits every earlier message this consumer read.
            while (_inFlight.First is { } first && first.Value.Offset <= message.Offset)
            {
                _inFlight.RemoveFirst();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_inFlight)
        {
            foreach (var msg in _inFlight)
            {
                queue.Redeliver.Enqueue(msg);
            }

            _inFlight.Clear();
        }
    }
}

/// <summary>Replay consumer: the compacted state at subscription, then every new message.</summary>
internal sealed class InProcessReplayConsumer<T> : IStreamConsumer<T> where T : class
{
    private readonly Channel<StreamMessage<T>> _channel;
    private readonly Action _unsubscribe;
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _backlog;

    public InProcessReplayConsumer(Channel<StreamMessage<T>> channel, int backlog, Action unsubscribe)
    {
        _channel = channel;
        _unsubscribe = unsubscribe;
        _backlog = backlog;
        if (backlog == 0)
        {
            _caughtUp.TrySetResult();
        }
    }

    public Task CaughtUp => _caughtUp.Task;

    public async ValueTask<StreamMessage<T>> ReadAsync(CancellationToken cancellationToken)
    {
        var msg = await _channel.Reader.ReadAsync(cancellationToken);
        if (_backlog > 0 && --_backlog == 0)
        {
            _caughtUp.TrySetResult();
        }

        return msg;
    }

    public void Commit(StreamMessage<T> message)
    {
        // Replay consumers keep no position: they always start from the beginning.
    }

    public void Dispose() => _unsubscribe();
}
