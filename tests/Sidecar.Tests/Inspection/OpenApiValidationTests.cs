using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Routes;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>OpenAPI route allowlist and schema validation over real Kestrel and YARP.</summary>
public sealed class OpenApiValidationTests : IDisposable
{
    private const string Document = """
    {
      "openapi": "3.0.3",
      "info": { "title": "shop", "version": "1" },
      "paths": {
        "/users/{id}": {
          "get": {
            "parameters": [
              { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } },
              { "name": "fields", "in": "query", "schema": { "type": "string", "maxLength": 10 } }
            ],
            "responses": { "200": { "description": "ok" } }
          }
        },
        "/users/me": { "get": { "responses": { "200": { "description": "ok" } } } },
        "/orders": {
          "post": {
            "requestBody": {
              "required": true,
              "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Order" } } }
            },
            "responses": { "201": { "description": "created" } }
          }
        }
      },
      "components": {
        "schemas": {
          "Order": {
            "type": "object",
            "required": ["item", "quantity"],
            "properties": {
              "item": { "type": "integer" },
              "quantity": { "type": "integer", "minimum": 1, "maximum": 10 },
              "note": { "type": "string" }
            }
          }
        }
      }
    }
    """;

    // The same document as YAML, the form most services publish.
    private const string YamlDocument = """
    openapi: 3.0.3
    info:
      title: shop
      version: "1"
    paths:
      /users/{id}:
        get:
          parameters:
            - name: id
              in: path
              required: true
              schema: { type: integer, minimum: 1 }
          responses:
            "200": { description: ok }
      /orders:
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/Order'
          responses:
            "201": { description: created }
    components:
      schemas:
        Order:
          type: object
          required: [item, quantity]
          properties:
            item: { type: integer }
            quantity: { type: integer, minimum: 1, maximum: 10 }
    """;

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");

    public OpenApiValidationTests() => File.WriteAllText(_file, Document);

    public void Dispose() => File.Delete(_file);

    private Task<ProxyHarness> StartAsync(string validation = InspectionModes.Block, bool rejectUndocumented = false) =>
        StartWith(validation, rejectUndocumented);

    private async Task<ProxyHarness> StartWith(string validation, bool rejectUndocumented, string? file = null)
    {
        var h = await ProxyHarness.StartAsync(new Dictionary<string, string?> { ["Sidecar:Inspection:OpenApi:backend"] = file ?? _file });
        h.Routes.Routes["api"] = new SidecarRouteOptions
        {
            Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block, OpenApiValidation = validation, RejectUndocumented = rejectUndocumented },
        };
        return h;
    }

    [Fact]
    public async Task A_body_violating_the_schema_gets_400_naming_the_field_without_its_value()
    {
        await using var h = await StartAsync();

        var response = await h.Client.PostAsync("/orders", new StringContent("{\"item\":5,\"quantity\":999,\"note\":\"secret-note\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("999", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-note", body, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(errors, e => e!.StartsWith("body/quantity", StringComparison.Ordinal));
        Assert.Equal("validation", (await h.LastTelemetryAsync(1)).RejectedBy);
    }

    [Fact]
    public async Task A_missing_required_property_and_a_bad_path_parameter_are_named()
    {
        await using var h = await StartAsync();

        var missing = await h.Client.PostAsync("/orders", new StringContent("{\"item\":5}", Encoding.UTF8, "application/json"));
        var badId = await h.Client.GetAsync("/users/abc");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("body", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("path.id", await badId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_requests_pass_and_are_documented()
    {
        await using var h = await StartAsync();

        var order = await h.Client.PostAsync("/orders", new StringContent("{\"item\":5,\"quantity\":2}", Encoding.UTF8, "application/json"));
        var me = await h.Client.GetAsync("/users/me");
        var user = await h.Client.GetAsync("/users/42?fields=name");

        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        var telemetry = await h.LastTelemetryAsync(3);
        Assert.Equal("documented", telemetry.Catalog);
        Assert.Equal("/users/{id}", telemetry.PathTemplate);
    }

    [Fact]
    public async Task Undocumented_operations_are_flagged_and_forwarded_by_default()
    {
        await using var h = await StartAsync();

        var response = await h.Client.GetAsync("/internal/debug");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("undocumented", (await h.LastTelemetryAsync(1)).Catalog);
    }

    [Fact]
    public async Task Undocumented_operations_are_rejected_with_404_where_the_route_says_so()
    {
        await using var h = await StartAsync(rejectUndocumented: true);

        var response = await h.Client.DeleteAsync("/users/42");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("undocumented", (await h.LastTelemetryAsync(1)).Catalog);
        Assert.Empty(h.Upstream);
    }

    [Fact]
    public async Task Detect_mode_forwards_violations()
    {
        await using var h = await StartAsync(InspectionModes.Detect);

        var response = await h.Client.PostAsync("/orders", new StringContent("{\"item\":\"x\",\"quantity\":0}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_yaml_document_is_read_and_enforced_like_json()
    {
        var yamlFile = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(yamlFile, YamlDocument);
        try
        {
            await using var h = await StartWith(InspectionModes.Block, rejectUndocumented: false, yamlFile);

            var bad = await h.Client.PostAsync("/orders", new StringContent("{\"item\":5,\"quantity\":999}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("body/quantity", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var user = await h.Client.GetAsync("/users/42");
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
            var telemetry = await h.LastTelemetryAsync(2);
            Assert.Equal("documented", telemetry.Catalog);
            Assert.Equal("/users/{id}", telemetry.PathTemplate);

            await h.Client.GetAsync("/internal/debug");
            Assert.Equal("undocumented", (await h.LastTelemetryAsync(3)).Catalog);
        }
        finally
        {
            File.Delete(yamlFile);
        }
    }
}
