using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Sidecar.Tests.Admin;

/// <summary>Named admin credentials with roles, stored as hashes; changes record the credential that made them.</summary>
public sealed class AdminCredentialTests : IAsyncLifetime
{
    private const string ViewerToken = "viewer-token-0123456789abcdef";
    private const string OperatorToken = "operator-token-0123456789abcdef";
    private readonly LogCapture _logs = new();
    private TestSidecar _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await TestSidecar.StartAsync(c =>
    {
        c["Sidecar:Admin:Credentials:dashboards:Role"] = "viewer";
        c["Sidecar:Admin:Credentials:dashboards:TokenSha256"] = TestSidecar.Sha256(ViewerToken);
        c["Sidecar:Admin:Credentials:oncall-ops:Role"] = "operator";
        c["Sidecar:Admin:Credentials:oncall-ops:TokenSha256"] = TestSidecar.Sha256(OperatorToken).ToUpperInvariant();
    }, logs: _logs);

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    [Fact]
    public async Task A_viewer_reads_but_cannot_change_decisions()
    {
        using var viewer = Client(ViewerToken);

        using var list = await viewer.GetAsync("/decisions");
        using var stats = await viewer.GetAsync("/stats");
        using var add = await viewer.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"127.0.0.41","action":"block","ttl_seconds":60}"""));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal("application/problem+json", add.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_sidecar.Services.GetRequiredService<Analytics.Sidecar.Enforcement.DecisionStore>().Active());
    }

    [Fact]
    public async Task An_operator_changes_decisions_and_each_change_names_the_credential()
    {
        using var operatorClient = Client(OperatorToken);
        var decisions = _sidecar.Services.GetRequiredService<IStreamTransport>().CreateReplayConsumer(Streams.Decisions);

        using var created = await operatorClient.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"127.0.0.42","action":"block","reason":"manual","ttl_seconds":60}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("oncall-ops", body.GetProperty("created_by").GetString());

        // The published decision carries it too, so every sidecar and the audit trail know who made it.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var published = await decisions.ReadAsync(cts.Token);
        Assert.Equal("oncall-ops", published.Value!.CreatedBy);
        decisions.Dispose();

        using var lifted = await operatorClient.DeleteAsync("/decisions/" + id);
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);

        var audit = _logs.Lines.Where(l => l.Category == "Analytics.Admin.Audit").Select(l => l.Message).ToList();
        Assert.Contains(audit, l => l.Contains("decision-created", StringComparison.Ordinal) && l.Contains("ip:127.0.0.42", StringComparison.Ordinal) && l.Contains("oncall-ops", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("decision-lifted", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal) && l.Contains("oncall-ops", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains(OperatorToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_single_token_stays_the_admin_credential_named_default()
    {
        using var admin = _sidecar.Admin();
        using var created = await admin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"127.0.0.43","action":"block","ttl_seconds":60}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("default", (await created.JsonAsync()).GetProperty("created_by").GetString());
    }

    [Fact]
    public async Task A_token_that_is_only_a_hash_of_no_credential_is_refused()
    {
        // The configured hash itself is not a token.
        using var hashAsToken = Client(TestSidecar.Sha256(OperatorToken));
        using var response = await hashAsToken.GetAsync("/decisions");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Sidecar:Admin:Credentials:x:Role", "superuser", "Sidecar:Admin:Credentials:x:Role")]
    [InlineData("Sidecar:Admin:Credentials:x:TokenSha256", "abc", "Sidecar:Admin:Credentials:x:TokenSha256")]
    [InlineData("Sidecar:Admin:Credentials:default:Role", "viewer", "Sidecar:Admin:Credentials:default")]
    public async Task Bad_credentials_stop_start_up_naming_the_key(string key, string value, string named)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync(c =>
        {
            c["Sidecar:Admin:Credentials:x:Role"] = "viewer";
            c["Sidecar:Admin:Credentials:x:TokenSha256"] = TestSidecar.Sha256("some-other-token-123456");
            c["Sidecar:Admin:Credentials:default:TokenSha256"] = TestSidecar.Sha256("yet-another-token-123456");
            c["Sidecar:Admin:Credentials:default:Role"] = "admin";
            if (key != "Sidecar:Admin:Credentials:default:Role")
            {
                c.Remove("Sidecar:Admin:Credentials:default:TokenSha256");
                c.Remove("Sidecar:Admin:Credentials:default:Role");
            }

            c[key] = value;
        }));
        Assert.Contains(ServiceDefaults.Hosting.ServiceRunner.ConfigurationProblems(ex), p => p.StartsWith(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Named_credentials_alone_are_enough_to_start()
    {
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c.Remove("Sidecar:Admin:Token");
            c["Sidecar:Admin:Credentials:ops:Role"] = "admin";
            c["Sidecar:Admin:Credentials:ops:TokenSha256"] = TestSidecar.Sha256(OperatorToken);
        }, captureEvents: false);
        using var client = TestSidecar.CreateClient(sidecar.AdminUrl, "127.0.0.1");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        using var ok = await client.GetAsync("/decisions");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSidecar.AdminToken);
        using var old = await client.GetAsync("/decisions");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task The_probes_answer_without_a_token_and_say_only_their_status()
    {
        using var anonymous = _sidecar.Admin(withToken: false);
        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("Server"));
        }
    }

    private HttpClient Client(string token)
    {
        var client = TestSidecar.CreateClient(_sidecar.AdminUrl, "127.0.0.1");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
