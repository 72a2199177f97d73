namespace Analytics.ServiceDefaults.Hosting;

/// <summary>
/// Runs a service's long loop on a thread of its own for the life of the service: a blocking
/// read or a timed wait stays on it, so no work item is handed between thread-pool workers (which
/// then spin waiting for the next hand-off) and no timer thread has to wake one.
/// </summary>
public static class LoopThread
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
