using System.Text.Json;
using Analytics.Messaging.Links;
using Analytics.Search.Ecs;
using Analytics.Search.Query;

namespace Analytics.Search.Tests.Kibana;

public sealed class SavedObjectsTests
{
    private static readonly List<JsonElement> Objects = File.ReadAllLines(RepositoryFiles.Path("deploy", "kibana", "saved-objects.ndjson"))
        .Where(l => l.Length > 0)
        .Select(l => JsonDocument.Parse(l).RootElement.Clone())
        .ToList();

    private static IEnumerable<JsonElement> OfType(string type) => Objects.Where(o => o.GetProperty("type").GetString() == type);

    [Fact]
    public void Data_views_cover_the_three_streams_and_the_link_builders_id()
    {
        var views = OfType("index-pattern").ToDictionary(v => v.GetProperty("id").GetString()!, v => v.GetProperty("attributes").GetProperty("title").GetString());
        Assert.Equal("logs-analytics.requests-*", views[KibanaDiscoverLink.RequestsDataViewId]);
        Assert.Equal("logs-analytics.decisions-*", views["analytics-decisions"]);
        Assert.Equal("logs-analytics.alerts-*", views["analytics-alerts"]);
        Assert.All(OfType("index-pattern"), v => Assert.Equal("@timestamp", v.GetProperty("attributes").GetProperty("timeFieldName").GetString()));
    }

    [Fact]
    public void Every_search_and_visualization_references_an_existing_data_view_and_template_fields()
    {
        var views = OfType("index-pattern").Select(v => v.GetProperty("id").GetString()).ToHashSet();
        var titles = new List<string>();
        foreach (var o in OfType("search").Concat(OfType("visualization")))
        {
            var attributes = o.GetProperty("attributes");
            titles.Add(attributes.GetProperty("title").GetString()!);
            var reference = Assert.Single(o.GetProperty("references").EnumerateArray());
            Assert.Equal("index-pattern", reference.GetProperty("type").GetString());
            Assert.Contains(reference.GetProperty("id").GetString(), views);

            var source = JsonDocument.Parse(attributes.GetProperty("kibanaSavedObjectMeta").GetProperty("searchSourceJSON").GetString()!).RootElement;
            Assert.Equal(reference.GetProperty("name").GetString(), source.GetProperty("indexRefName").GetString());
            var fields = new List<string>();
            // The query must be in our KQL subset too, and name template fields only.
            Collect(KqlParser.Parse(source.GetProperty("query").GetProperty("query").GetString()!), fields);
            if (attributes.TryGetProperty("columns", out var columns))
            {
                fields.AddRange(columns.EnumerateArray().Select(c => c.GetString()!));
            }

            if (attributes.TryGetProperty("visState", out var visState))
            {
                foreach (var agg in JsonDocument.Parse(visState.GetString()!).RootElement.GetProperty("aggs").EnumerateArray())
                {
                    if (agg.GetProperty("params").TryGetProperty("field", out var f))
                    {
                        fields.Add(f.GetString()!);
                    }
                }
            }

            Assert.All(fields, f => Assert.True(EcsSchema.Default.Find(f) is not null, $"{attributes.GetProperty("title")} uses {f}, which the templates do not map"));
        }

        Assert.Contains("Blocked requests", titles);
        Assert.Contains("Authentication failures by client", titles);
        Assert.Contains("Injection findings", titles);
        Assert.Contains("Decisions in force", titles);
        Assert.Contains("Alerts", titles);
    }

    [Fact]
    public void The_dashboard_references_only_shipped_visualizations()
    {
        var visualizations = OfType("visualization").Select(v => v.GetProperty("id").GetString()).ToHashSet();
        var dashboard = Assert.Single(OfType("dashboard"));
        var panels = JsonDocument.Parse(dashboard.GetProperty("attributes").GetProperty("panelsJSON").GetString()!).RootElement;
        var references = dashboard.GetProperty("references").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("id").GetString());
        Assert.Equal(5, panels.GetArrayLength());
        foreach (var panel in panels.EnumerateArray())
        {
            Assert.Contains(references[panel.GetProperty("panelRefName").GetString()!], visualizations);
        }
    }

    private static void Collect(KqlNode? node, List<string> fields)
    {
        switch (node)
        {
            case KqlOr or:
                or.Parts.ToList().ForEach(p => Collect(p, fields));
                break;
            case KqlAnd and:
                and.Parts.ToList().ForEach(p => Collect(p, fields));
                break;
            case KqlNot not:
                Collect(not.Part, fields);
                break;
            case KqlMatch m:
                fields.Add(m.Field);
                break;
            case KqlRange r:
                fields.Add(r.Field);
                break;
        }
    }
}
