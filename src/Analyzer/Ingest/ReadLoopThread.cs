namespace Analytics.Analyzer.Ingest;

/// <summary>
/// Runs a stream's read loop on a thread of its own for the life of the service: the consumer's
/// blocking read, decoding and the pipeline all stay on it, so no message is handed between
/// thread-pool workers (which then spin waiting for the next hand-off).
/// </summary>
internal static class ReadLoopThread
{
    /// <summary>Starts <paramref name="loop"/>; the task ends with it (cancelled by <paramref name="stoppingToken"/> counts as done).</summary>
    public static Task Start(string name, Action<CancellationToken> loop, CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop(stoppingToken);
                done.TrySetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
