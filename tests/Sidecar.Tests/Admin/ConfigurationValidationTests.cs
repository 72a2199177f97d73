using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Admin;

/// <summary>Bad configuration stops start-up with the key named.</summary>
public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("Sidecar:Auth:ApiKeys:Keys:0:Sha256", "demo-reader-key", "Sidecar:Auth:ApiKeys:Keys:0:Sha256")]
    [InlineData("Sidecar:Auth:Jwt:ValidAlgorithms:0", "HS256", "Sidecar:Auth:Jwt:ValidAlgorithms")]
    [InlineData("Sidecar:Auth:Jwt:ValidAlgorithms:0", "none", "Sidecar:Auth:Jwt:ValidAlgorithms")]
    [InlineData("Sidecar:Routes:open:RateLimitPolicy", "missing", "Sidecar:Routes:open:RateLimitPolicy")]
    [InlineData("Sidecar:Routes:ghost:Auth", "anonymous", "Sidecar:Routes:ghost")]
    [InlineData("Sidecar:Routes:open:Auth", "public", "Sidecar:Routes:open:Auth")]
    [InlineData("Sidecar:Proxy:TrustedProxies:0", "10.0.0.0/33", "Sidecar:Proxy:TrustedProxies:0")]
    [InlineData("Sidecar:Admin:Url", "http://0.0.0.0:0", "Sidecar:Admin:Url")]
    [InlineData("Sidecar:Admin:Token", "short", "Sidecar:Admin:Token")]
    [InlineData("Sidecar:Ratelimits:Policies:x:Kind", "TokenBucket", "Sidecar:Ratelimits")]
    [InlineData("Sidecar:Proxy:SecurityHeaderz:X", "1", "SecurityHeaderz")]
    [InlineData("Streams:Transport", "Carrier-Pigeon", "Streams:Transport")]
    public async Task Start_up_fails_naming_the_key(string key, string value, string named)
    {
        await using var upstream = await TestUpstream.StartAsync();
        var config = TestSidecar.BaseConfiguration(upstream);
        config[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = TestSidecar.Build(config);
            await app.StartAsync();
        });

        var problems = ServiceRunner.ConfigurationProblems(error);
        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_admin_token_stops_start_up()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var config = TestSidecar.BaseConfiguration(upstream);
        config.Remove("Sidecar:Admin:Token");

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = TestSidecar.Build(config);
            await app.StartAsync();
        });

        Assert.Contains(ServiceRunner.ConfigurationProblems(error), p => p.Contains("Sidecar:Admin:Token", StringComparison.Ordinal));
    }
}
