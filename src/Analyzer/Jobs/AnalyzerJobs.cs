using Hangfire;

namespace Analytics.Analyzer.Jobs;

/// <summary>The Hangfire entry points; each resolves its job from DI so jobs stay plain classes.</summary>
internal sealed class AnalyzerJobs(DecisionExpiryJob expiry, DailySummaryJob summary, RetrainJob retrain)
{
    public const string Expiry = "analyzer-decision-expiry";
    public const string Summary = "analyzer-daily-summary";
    public const string Retrain = "analyzer-retrain";

    [AutomaticRetry(Attempts = 3)]
    public Task ExpireDecisionsAsync(CancellationToken cancellationToken) => expiry.RunAsync(cancellationToken);

    [AutomaticRetry(Attempts = 5)]
    public Task DailySummaryAsync(CancellationToken cancellationToken) => summary.RunAsync(cancellationToken);

    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public void RetrainModel() => retrain.Run();
}
