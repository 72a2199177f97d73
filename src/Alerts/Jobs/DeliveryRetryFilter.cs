using Analytics.Alerts.Channels;
using Analytics.Alerts.Stats;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Jobs;

/// <summary>
/// Hangfire's automatic retry, for delivery jobs: exponential back-off with full jitter, capped,
/// and never sooner than a receiver's <c>Retry-After</c>. After the last retry the job stays
/// Failed (visible in the dashboard) and is counted. Hangfire's own AutomaticRetry takes only the
/// attempt number, so it cannot honour <c>Retry-After</c>. It also keeps every enqueue of a
/// delivery job in its channel's queue.
/// </summary>
internal sealed partial class DeliveryRetryFilter(IOptions<AlertsOptions> options, AlertStats stats, ILogger<DeliveryRetryFilter> logger)
    : JobFilterAttribute, IElectStateFilter, IApplyStateFilter
{
    private const string RetryCountParameter = "RetryCount";
    private const string RetriesSet = "retries";
    private static readonly TimeSpan ScheduleResolution = TimeSpan.FromSeconds(1);

    private readonly DeliveryOptions _options = options.Value.Delivery;

    public void OnStateElection(ElectStateContext context)
    {
        var channel = context.BackgroundJob.Job?.Args is [string name, ..] ? name : "unknown";
        if (context.CandidateState is EnqueuedState enqueued)
        {
            // A retry due is enqueued by Hangfire's scheduler into "default"; it belongs in its channel's queue
            // (what Hangfire's QueueAttribute does, with the queue taken from the job's channel argument).
            enqueued.Queue = DeliveryQueues.For(channel);
            return;
        }

        if (context.CandidateState is not FailedState failed)
        {
            return;
        }

        var notificationId = context.BackgroundJob.Job?.Args is [_, string id, ..] ? id : "unknown";
        var retry = context.GetJobParameter<int>(RetryCountParameter, allowStale: true) + 1;
        if (retry > _options.Retries)
        {
            stats.Failed(channel);
            LogGaveUp(logger, channel, notificationId, retry);
            return;
        }

        var retryAfter = (failed.Exception as ChannelDeliveryException)?.RetryAfter;
        var delay = Delay(retry, retryAfter, _options);
        context.SetJobParameter(RetryCountParameter, retry);
        context.CandidateState = new ScheduledState(delay) { Reason = $"Retry {retry} of {_options.Retries}" };
        stats.Retried(channel);
        LogRetry(logger, channel, notificationId, retry, _options.Retries, delay.TotalSeconds);
    }

    /// <summary>Full jitter over an exponential ceiling (AWS's "exponential backoff and jitter"), but at least what the receiver asked for.</summary>
    internal static TimeSpan Delay(int retry, TimeSpan? retryAfter, DeliveryOptions options)
    {
        var ceiling = Math.Min(options.MaxRetryDelay.TotalMilliseconds, options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        // Half fixed, half random: spreads retries without ever retrying at once.
        var delay = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        // Hangfire scores scheduled jobs in whole Unix seconds, so a job may run up to a second early: pad what the receiver asked for.
        return retryAfter is { } asked && asked + ScheduleResolution > delay ? asked + ScheduleResolution : delay;
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        // The dashboard's Retries page lists this set, as with Hangfire's own retry filter.
        if (context.NewState is ScheduledState && context.NewState.Reason?.StartsWith("Retry", StringComparison.Ordinal) == true)
        {
            transaction.AddToSet(RetriesSet, context.BackgroundJob.Id);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.OldStateName == ScheduledState.StateName)
        {
            transaction.RemoveFromSet(RetriesSet, context.BackgroundJob.Id);
        }
    }

    [LoggerMessage(EventId = 3024, Level = LogLevel.Warning, Message = "Delivery of {NotificationId} to {Channel}: retry {Retry} of {Retries} in {DelaySeconds:0.0} s")]
    private static partial void LogRetry(ILogger logger, string channel, string notificationId, int retry, int retries, double delaySeconds);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Error, Message = "Delivery of {NotificationId} to {Channel} failed for good after {Attempts} attempts; the job stays Failed in the dashboard")]
    private static partial void LogGaveUp(ILogger logger, string channel, string notificationId, int attempts);
}
