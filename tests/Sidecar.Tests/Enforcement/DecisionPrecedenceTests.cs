using System.Net;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>
/// Every cell of the "Decision precedence" table (README.md, docs/security.md): a decision on the
/// client's network (ip or cidr) against a decision on the credential (api_key), over a real sidecar.
/// An allow cancels blocks and throttles of its own dimension only; a block on either dimension wins.
/// </summary>
public sealed class DecisionPrecedenceTests
{
    public const string Pass = "200";
    public const string Blocked = "403";
    public const string Throttled = "429";

    [Theory]
    [InlineData(null, null, Pass)]
    [InlineData(null, "allow", Pass)]
    [InlineData(null, "block", Blocked)]
    [InlineData(null, "throttle", Throttled)]
    [InlineData("allow", null, Pass)]
    [InlineData("allow", "allow", Pass)]
    [InlineData("allow", "block", Blocked)]       // an allowlisted network does not launder a blocked credential
    [InlineData("allow", "throttle", Throttled)]  // nor a throttled one
    [InlineData("block", null, Blocked)]
    [InlineData("block", "allow", Blocked)]       // an allowlisted credential does not launder a blocked network
    [InlineData("block", "block", Blocked)]
    [InlineData("block", "throttle", Blocked)]
    [InlineData("throttle", null, Throttled)]
    [InlineData("throttle", "allow", Throttled)]
    [InlineData("throttle", "block", Blocked)]
    [InlineData("throttle", "throttle", Throttled)]
    public async Task Network_and_credential_decisions_combine_as_the_table_says(string? network, string? credential, string expected)
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var admin = sidecar.Admin();
        const string address = "127.0.2.1";
        if (network is not null)
        {
            // A range decision for the block and throttle cells proves ranges behave as single addresses do.
            var (scope, value) = network == "allow" ? ("ip", address) : ("cidr", "127.0.2.0/24");
            await PostAsync(admin, scope, value, network);
        }

        if (credential is not null)
        {
            await PostAsync(admin, "api_key", "reader", credential);
        }

        using var client = sidecar.Client(address);
        var statuses = new List<HttpStatusCode>();
        // A throttle leaves one request per second: the first passes, a quick burst of five more meets 429.
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey);
            statuses.Add(response.StatusCode);
        }

        switch (expected)
        {
            case Pass:
                Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
                break;
            case Blocked:
                Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Forbidden, s));
                break;
            default:
                Assert.Equal(HttpStatusCode.OK, statuses[0]);
                Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
                Assert.DoesNotContain(HttpStatusCode.Forbidden, statuses);
                break;
        }
    }

    private static async Task PostAsync(HttpClient admin, string scope, string value, string action)
    {
        var rate = action == "throttle" ? ""","rate":1""" : "";
        using var response = await admin.PostAsync("/decisions", HttpExtensions.Json(
            $$"""{"scope":"{{scope}}","value":"{{value}}","action":"{{action}}"{{rate}},"reason":"precedence test","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
