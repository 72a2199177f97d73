using Analytics.Inspection;
using Analytics.Tools.Inspect;

namespace Analytics.Tools.Tests.Inspect;

/// <summary>The development placements: every place is written, decodes to the payload's request, and the engine judges it.</summary>
public sealed class PlacementGeneratorTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("placements-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void An_attack_in_every_place_is_blocked_and_a_benign_value_in_every_place_is_not()
    {
        CorpusFiles.Write(Path.Combine(_dir.FullName, "payloads_test.jsonl.gz"), "t",
            ("attack", "sqli", "1' UNION SELECT password FROM users--"),
            ("benign", null, "campello, el"));
        var output = new FileInfo(Path.Combine(_dir.FullName, "dev.jsonl.gz"));

        Assert.Equal(0, PlacementGenerator.Run(_dir, output, seed: 13, perClass: 10, benignCount: 10));

        var records = ReplayRecord.Read(output.FullName).Where(r => r.Source == "placement-corpora").ToList();
        Assert.Equal(PlacementGenerator.Places.Length * 2, records.Count);
        Assert.Equal(PlacementGenerator.Places.Order(), records.Where(r => r.IsAttack).Select(r => r.Location).Order());
        var engine = new InspectionEngine(new InspectionOptions { ModelPath = null }, model: null);
        foreach (var record in records)
        {
            var findings = new FindingSet();
            findings.Reset(null);
            var verdict = engine.Inspect(record.ToInput(InspectionDefaults.MaxBodyBytes), findings, useModel: false);
            Assert.True(record.IsAttack == verdict.Score >= InspectionDefaults.Threshold, $"{record.Location}: {string.Join(',', verdict.Rules)}");
        }

        var evaluation = new Evaluation();
        records.ForEach(r => evaluation.Add(r, r.IsAttack));
        var report = evaluation.Report();
        Assert.Equal(1.0, report.Families["942-sqli"].Recall);
        // Besides the places, the query-name FPR on the benign names the model's name view held out.
        Assert.Equal(PlacementGenerator.Places.Order(), report.Locations.Keys.Where(k => !k.Contains('(', StringComparison.Ordinal)).Order());
        Assert.Equal(BenignNames.IsHeldOut("campello, el"), report.Locations.ContainsKey("query-name (held-out names)"));
    }
}
