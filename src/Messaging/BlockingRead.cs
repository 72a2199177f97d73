namespace Analytics.Messaging;

/// <summary>The blocking read every consumer falls back to: its own <c>ReadAsync</c>, waited for on the caller's thread, for at most a timeout.</summary>
internal static class BlockingRead
{
    public static StreamMessage<T>? Wait<T>(IStreamConsumer<T> consumer, TimeSpan timeout, CancellationToken cancellationToken) where T : class
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waiting.CancelAfter(timeout);
        try
        {
            return consumer.ReadAsync(waiting.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the timeout: a read that is cancelled has taken nothing off the stream.
            return null;
        }
    }
}
