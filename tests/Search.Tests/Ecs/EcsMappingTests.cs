using System.Text.Json;
using Analytics.Messaging;
using Analytics.Search.Ecs;

namespace Analytics.Search.Tests.Ecs;

public sealed class EcsMappingTests
{
    private static readonly Dictionary<string, string> EcsTypes = ReadEcsFlat(RepositoryFiles.Shared("corpora", "ecs", "ecs_flat.yml"));

    /// <summary>Every field and its type from ecs_flat.yml (top-level keys, each with a <c>  type:</c> line).</summary>
    private static Dictionary<string, string> ReadEcsFlat(string path)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 1 && line[0] != ' ' && line.EndsWith(':'))
            {
                current = line[..^1].Trim('\'');
            }
            else if (current is not null && line.StartsWith("  type: ", StringComparison.Ordinal))
            {
                types[current] = line["  type: ".Length..].Trim();
            }
        }

        return types;
    }

    public static IEnumerable<object[]> Documents()
    {
        var inspection = new InspectionInfo { Score = 8, Action = "block", Rules = ["sqli-1", "sqli-4"], Categories = ["sqli"] };
        yield return [RequestEventMapping.ToDocument(Samples.Request(inspection: inspection, userId: "key-1", rejectedBy: RejectionReasons.Inspection, status: 403, auth: AuthInfo.Succeeded), "default")];
        yield return [RequestEventMapping.ToDocument(Samples.Request(userAgent: null), "default")];
        yield return [DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision(), Samples.T0, "default")];
        yield return [DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision(), Samples.T0, "default", kibanaUrl: "https://kibana.example.test")];
        yield return [DecisionMapping.ToDocument("api_key:k1", Samples.Decision("manual", DecisionScopes.ApiKey, "k1") with { Rate = 2, Action = DecisionActions.Throttle }, Samples.T0, "default")];
        yield return [DecisionMapping.ToDocument("ip:203.0.113.7", null, Samples.T0, "default")];
        yield return [DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision() with { Evidence = new Evidence { TraceId = "4bf92f3577b34da6a3ce929d0e0e4736" } }, Samples.T0, "default")];
        yield return [AlertMapping.ToDocument(Samples.Alert() with { Evidence = Samples.Decision().Evidence, DecisionId = "d1" }, "default")];
        yield return [AlertMapping.ToDocument(Samples.Alert() with { Links = new Dictionary<string, string> { ["kibana"] = "https://kibana.example.test/app/discover#/" } }, "default")];
        yield return [AuditMapping.ToDocument("allowlist-added", "admin", "cidr", "10.0.0.0/8", "office", Samples.T0, "default")];
    }

    [Fact]
    public void Every_ecs_named_field_in_the_templates_has_the_ecs_type()
    {
        var checkedFields = 0;
        foreach (var field in EcsSchema.Default.Fields.Where(f => !f.Name.StartsWith("analytics.", StringComparison.Ordinal)))
        {
            Assert.True(EcsTypes.TryGetValue(field.Name, out var ecsType), $"{field.Name} is not an ECS field; custom fields go under analytics.*");
            Assert.True(ecsType == field.EsType, $"{field.Name}: template says {field.EsType}, ECS says {ecsType}");
            checkedFields++;
        }

        Assert.True(checkedFields >= 25, $"only {checkedFields} ECS fields checked");
    }

    [Fact]
    public void Analytics_fields_are_not_ecs_names_and_all_have_explicit_types()
    {
        foreach (var field in EcsSchema.Default.Fields.Where(f => f.Name.StartsWith("analytics.", StringComparison.Ordinal)))
        {
            Assert.False(EcsTypes.ContainsKey(field.Name));
            Assert.False(string.IsNullOrEmpty(field.EsType));
        }

        using var doc = JsonDocument.Parse(Analytics.Search.Elasticsearch.SearchResources.Read(Analytics.Search.Elasticsearch.SearchResources.MappingsComponent));
        Assert.Equal("strict", doc.RootElement.GetProperty("template").GetProperty("mappings").GetProperty("dynamic").GetString());
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_field_a_mapping_writes_exists_in_the_templates_with_a_matching_json_kind(EcsDocument document)
    {
        using var json = JsonDocument.Parse(document.Source);
        var leaves = new List<(string Name, JsonElement Value)>();
        Flatten(json.RootElement, "", leaves);
        Assert.NotEmpty(leaves);
        foreach (var (name, value) in leaves)
        {
            var field = EcsSchema.Default.Find(name);
            Assert.True(field is not null, $"{document.Stream} document writes {name}, which the template does not map");
            if (field!.IsObject)
            {
                Assert.Equal(JsonValueKind.Object, value.ValueKind);
                continue;
            }

            Assert.True(field.IsArray == (value.ValueKind == JsonValueKind.Array), $"{name}: array in the template is {field.IsArray}, written {value.ValueKind}");
            var scalar = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 ? value[0] : value;
            if (scalar.ValueKind == JsonValueKind.Array)
            {
                continue;
            }

            var expected = field.IsNumber ? JsonValueKind.Number : field.IsBoolean ? JsonValueKind.True : JsonValueKind.String;
            var actual = scalar.ValueKind == JsonValueKind.False ? JsonValueKind.True : scalar.ValueKind;
            Assert.True(expected == actual, $"{name} ({field.EsType}) written as {scalar.ValueKind}");
        }
    }

    [Fact]
    public void A_request_maps_to_the_ecs_fields_the_issue_names()
    {
        var e = Samples.Request(status: 401, auth: new AuthInfo(AuthOutcomes.Failure, "invalid_credentials"), rejectedBy: RejectionReasons.Authentication, userId: "key-1");
        var leaves = Leaves(RequestEventMapping.ToDocument(e, "prod"));

        Assert.Equal("2026-11-28T09:00:00.000Z", leaves["@timestamp"]);
        Assert.Equal(e.RequestId, leaves["event.id"]);
        Assert.Equal("event", leaves["event.kind"]);
        Assert.Equal("web,authentication", leaves["event.category"]);
        Assert.Equal("access,denied", leaves["event.type"]);
        Assert.Equal("failure", leaves["event.outcome"]);
        Assert.Equal("rejected-authentication", leaves["event.action"]);
        Assert.Equal("1250000", leaves["event.duration"]);
        Assert.Equal("203.0.113.7", leaves["source.ip"]);
        Assert.Equal("key-1", leaves["user.id"]);
        Assert.Equal("GET", leaves["http.request.method"]);
        Assert.Equal("/api/items/1", leaves["url.path"]);
        Assert.Equal("401", leaves["http.response.status_code"]);
        Assert.Equal("120", leaves["http.request.bytes"]);
        Assert.Equal("512", leaves["http.response.bytes"]);
        Assert.Equal("curl/8.5", leaves["user_agent.original"]);
        Assert.Equal(e.TraceId, leaves["trace.id"]);
        Assert.Equal("shop", leaves["service.name"]);
        Assert.Equal("analytics.requests", leaves["data_stream.dataset"]);
        Assert.Equal("prod", leaves["data_stream.namespace"]);
        Assert.Equal("invalid_credentials", leaves["analytics.auth.reason"]);
    }

    [Fact]
    public void A_manual_decision_is_an_audit_document_naming_the_credential_and_an_automatic_one_is_not()
    {
        var manual = Leaves(DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision("manual"), Samples.T0, "default"));
        Assert.Equal("configuration", manual["event.category"]);
        Assert.Equal("admin", manual["user.name"]);
        Assert.Equal("admin", manual["analytics.audit.credential"]);
        Assert.Equal("decision-block", manual["event.action"]);

        var automatic = Leaves(DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision("rule:brute_force"), Samples.T0, "default"));
        Assert.Equal("intrusion_detection", automatic["event.category"]);
        Assert.False(automatic.ContainsKey("user.name"));
        Assert.Equal("brute_force", automatic["rule.id"]);
        Assert.Equal("12 failed logins in one minute (threshold 10)", automatic["analytics.evidence.explanation"]);

        var removed = Leaves(DecisionMapping.ToDocument("ip:203.0.113.7", null, Samples.T0, "default"));
        Assert.Equal("decision-removed", removed["event.action"]);
        Assert.Equal("203.0.113.7", removed["source.ip"]);
    }

    [Fact]
    public void With_a_kibana_url_a_decision_document_carries_discover_on_its_entity_around_its_evidence_as_event_url()
    {
        var decision = Samples.Decision("rule:brute_force", DecisionScopes.Cidr, "198.51.100.0/24");

        var linked = Leaves(DecisionMapping.ToDocument(decision.Key, decision, Samples.T0, "default", kibanaUrl: "https://kibana.example.test/"));
        var unlinked = Leaves(DecisionMapping.ToDocument(decision.Key, decision, Samples.T0, "default"));

        var url = linked["event.url"];
        Assert.StartsWith("https://kibana.example.test/app/discover#/?_g=", url, StringComparison.Ordinal);
        var state = Uri.UnescapeDataString(url);
        // From an hour before the evidence window (T0 - 1m) to a quarter hour after the decision (T0): the alerts' window.
        Assert.Contains("from:'2026-11-28T07:59:00.000Z',to:'2026-11-28T09:15:00.000Z'", state, StringComparison.Ordinal);
        Assert.Contains("query:'source.ip:\"198.51.100.0/24\"'", state, StringComparison.Ordinal);
        Assert.Equal(KibanaLinks.ForWindow("https://kibana.example.test/", decision.Key, Samples.T0.AddMinutes(-1), Samples.T0), url);
        Assert.False(unlinked.ContainsKey("event.url"));
        // The link is not part of the id: a redelivery with the option changed is still the same document.
        Assert.Equal(DecisionMapping.ToDocument(decision.Key, decision, Samples.T0, "default").Id, DecisionMapping.ToDocument(decision.Key, decision, Samples.T0, "default", kibanaUrl: "https://k").Id);
    }

    [Fact]
    public void An_alert_document_carries_the_kibana_link_the_analyzer_put_on_the_alert()
    {
        var alert = Samples.Alert() with { Links = new Dictionary<string, string> { ["kibana"] = "https://kibana.example.test/app/discover#/x", ["runbook"] = "https://wiki/x" } };

        Assert.Equal("https://kibana.example.test/app/discover#/x", Leaves(AlertMapping.ToDocument(alert, "default"))["event.url"]);
        Assert.False(Leaves(AlertMapping.ToDocument(Samples.Alert(), "default")).ContainsKey("event.url"));
    }

    [Fact]
    public void A_decision_names_the_trace_of_the_request_that_triggered_it_as_ecs_trace_id()
    {
        var traced = Leaves(DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision("rule:brute_force") with { Evidence = new Evidence { TraceId = "4bf92f3577b34da6a3ce929d0e0e4736" } }, Samples.T0, "default"));
        var untraced = Leaves(DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision("rule:brute_force") with { Evidence = new Evidence() }, Samples.T0, "default"));

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", traced["trace.id"]);
        Assert.False(untraced.ContainsKey("trace.id"));
    }

    [Fact]
    public void Redelivered_messages_map_to_the_same_document_id()
    {
        var e = Samples.Request();
        Assert.Equal(RequestEventMapping.ToDocument(e, "default").Id, RequestEventMapping.ToDocument(e, "default").Id);
        Assert.Equal(DecisionMapping.ToDocument("ip:1.2.3.4", null, Samples.T0, "default").Id, DecisionMapping.ToDocument("ip:1.2.3.4", null, Samples.T0, "default").Id);
    }

    internal static Dictionary<string, string> Leaves(EcsDocument document)
    {
        using var json = JsonDocument.Parse(document.Source);
        var leaves = new List<(string Name, JsonElement Value)>();
        Flatten(json.RootElement, "", leaves);
        return leaves.ToDictionary(l => l.Name, l => l.Value.ValueKind == JsonValueKind.Array
            ? string.Join(",", l.Value.EnumerateArray().Select(v => v.ToString()))
            : l.Value.ToString());
    }

    private static void Flatten(JsonElement element, string prefix, List<(string, JsonElement)> into)
    {
        foreach (var p in element.EnumerateObject())
        {
            var name = prefix + p.Name;
            // flattened fields (evidence features) are one field holding an object.
            if (p.Value.ValueKind == JsonValueKind.Object && EcsSchema.Default.Find(name) is not { IsObject: true })
            {
                Flatten(p.Value, name + ".", into);
            }
            else
            {
                into.Add((name, p.Value.Clone()));
            }
        }
    }
}
