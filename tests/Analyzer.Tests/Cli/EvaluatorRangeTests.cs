using Analytics.Analyzer.Ingest;
using Analytics.Detection;
using Analytics.Detection.Evaluation;
using Analytics.Detection.Ingest;
using Analytics.Traffic;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Cli;

public sealed class EvaluatorRangeTests
{
    [Fact]
    public void Addresses_inside_a_decided_range_count_as_detected_and_benign_ones_as_collateral()
    {
        var evaluator = new Evaluator();
        var pipeline = Pipeline();
        // A neighbour that only reads the status page, before the botnet starts: inside the range, never logged in.
        evaluator.Feed(pipeline, new InputEvent(Get("185.220.0.5", T0.AddSeconds(-30), "/api/status", template: "/api/status"), TrafficLabels.Benign, null, "neighbour-0"));
        var n = 0;
        for (var round = 0; round < 2; round++)
        {
            for (var b = 0; b < 12; b++)
            {
                var e = FailedLogin($"185.220.0.{10 + b}", T0.AddSeconds((round * 180) + (b * 15)), loginHash: $"leaked-{n++}");
                evaluator.Feed(pipeline, new InputEvent(e, TrafficLabels.Attack, "credential_stuffing", $"credential_stuffing-botnet24-0-{b}"));
            }
        }

        // A latecomer of the botnet, first seen after the decision: detected at its first request.
        evaluator.Feed(pipeline, new InputEvent(FailedLogin("185.220.0.99", T0.AddMinutes(8), loginHash: "leaked-x"), TrafficLabels.Attack, "credential_stuffing", "credential_stuffing-botnet24-0-99"));

        var result = evaluator.Result();
        var range = Assert.Single(result.Ranges);
        Assert.Equal("185.220.0.0/24", range.Range);
        Assert.True(range.Decided);
        Assert.Equal(13, range.Attackers);
        Assert.Equal(1, range.Benign);
        Assert.Equal(1, result.Collateral);
        Assert.Equal(1.0, result.Classes["credential_stuffing"].Recall);
        Assert.Equal(1, result.Overall.FalsePositives);
        Assert.Equal(13, result.Variants["credential_stuffing-botnet24"].Detected);
        Assert.Equal((1, 1), result.BenignPopulations["neighbour"]);
        Assert.Contains("collateral: 1 benign addresses", EvaluationReport.Table(result), StringComparison.Ordinal);
    }
}
