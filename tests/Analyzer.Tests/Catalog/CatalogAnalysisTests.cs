using Analytics.Analyzer.Catalog;
using Analytics.Messaging;

namespace Analytics.Analyzer.Tests.Catalog;

public sealed class CatalogAnalysisTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Shadow_and_zombie_operations_raise_alerts()
    {
        var documented = CatalogAnalysis.ReadOpenApi("""
            {"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{
              "/users/{userId}":{"get":{"responses":{"200":{"description":"ok"}}}},
              "/legacy":{"get":{"deprecated":true,"responses":{"200":{"description":"ok"}}}},
              "/reports":{"get":{"responses":{"200":{"description":"ok"}}}}}}
            """);
        var observed = new List<ObservedOperation>
        {
            new() { Method = "GET", Path = "/users/{id}", Count = 10, LastSeen = Now.AddHours(-1) },
            new() { Method = "GET", Path = "/internal/debug", Count = 3, LastSeen = Now.AddHours(-2) },
            new() { Method = "GET", Path = "/legacy", Count = 2, LastSeen = Now.AddDays(-1) },
        };

        var alerts = CatalogAnalysis.Analyze("shop", observed, documented, Now, TimeSpan.FromDays(30));

        Assert.Contains(alerts, a => a.Type == AlertTypes.ShadowApi && a.DedupKey.EndsWith("GET /internal/debug", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Type == AlertTypes.ZombieApi && a.Title.Contains("Deprecated", StringComparison.Ordinal) && a.DedupKey.EndsWith("/legacy", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Type == AlertTypes.ZombieApi && a.DedupKey.EndsWith("GET /reports", StringComparison.Ordinal));
        Assert.DoesNotContain(alerts, a => a.DedupKey.Contains("/users", StringComparison.Ordinal));
    }

    [Fact]
    public void Stale_documented_operation_is_a_zombie()
    {
        var documented = new List<DocumentedOperation> { new("GET", "/old", false) };
        var observed = new List<ObservedOperation> { new() { Method = "GET", Path = "/old", Count = 1, LastSeen = Now.AddDays(-40) } };

        var alert = Assert.Single(CatalogAnalysis.Analyze("shop", observed, documented, Now, TimeSpan.FromDays(30)));

        Assert.Equal(AlertTypes.ZombieApi, alert.Type);
        Assert.Equal("service:shop", alert.Entity);
    }

    [Fact]
    public void A_yaml_document_reads_like_its_json_twin()
    {
        var json = CatalogAnalysis.ReadOpenApi("""
            {"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{
              "/users/{userId}":{"get":{"responses":{"200":{"description":"ok"}}},"delete":{"deprecated":true,"responses":{"200":{"description":"ok"}}}}}}
            """);
        var yaml = CatalogAnalysis.ReadOpenApi("""
            openapi: 3.0.3
            info: { title: t, version: "1" }
            paths:
              /users/{userId}:
                get: { responses: { "200": { description: ok } } }
                delete: { deprecated: true, responses: { "200": { description: ok } } }
            """);

        Assert.Equal(2, yaml.Count);
        Assert.Equal(json.OrderBy(o => o.Method), yaml.OrderBy(o => o.Method));
        Assert.Contains(new DocumentedOperation("DELETE", "/users/{userId}", true), yaml);
    }

    [Fact]
    public void A_document_that_is_not_openapi_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => CatalogAnalysis.ReadOpenApi("just: [some, yaml"));
    }
}
