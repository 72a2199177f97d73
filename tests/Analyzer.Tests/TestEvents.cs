using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Detection.Rules;
using Analytics.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Analyzer.Tests;

/// <summary>Builds request events and pipelines for tests.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    public static RequestEvent FailedLogin(string ip, DateTimeOffset ts, string? loginHash = "h-alice") => new()
    {
        Timestamp = ts,
        RequestId = Guid.NewGuid().ToString("N"),
        ClientIp = ip,
        Method = "POST",
        RouteId = "login",
        PathTemplate = "/api/login",
        Path = "/api/login",
        Status = 401,
        Auth = new AuthInfo(AuthOutcomes.Failure, "invalid_credentials"),
        LoginHash = loginHash,
    };

    public static RequestEvent Get(string ip, DateTimeOffset ts, string path, int status = 200, string? template = null) => new()
    {
        Timestamp = ts,
        RequestId = Guid.NewGuid().ToString("N"),
        ClientIp = ip,
        Method = "GET",
        PathTemplate = template,
        Path = path,
        Status = status,
    };

    public static AnalyzerPipeline Pipeline(AnalyzerOptions? options = null, TimeProvider? time = null, IEnumerable<IDetector>? detectors = null)
    {
        options ??= new AnalyzerOptions();
        time ??= new FakeTimeProvider(T0);
        return new AnalyzerPipeline(
            new FeatureStore(options.Features),
            detectors ?? DetectorFactory.CreateRules(options.Rules),
            new DecisionEngine(options.Decisions, new Allowlist(options.Decisions.Allowlist, time), time));
    }

    public static List<AnalyzerOutcome> Run(AnalyzerPipeline pipeline, IEnumerable<RequestEvent> events)
    {
        var all = new List<AnalyzerOutcome>();
        foreach (var e in events)
        {
            pipeline.Process(e, all);
        }

        return all;
    }
}
