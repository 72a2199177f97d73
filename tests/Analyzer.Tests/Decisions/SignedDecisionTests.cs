using Analytics.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Decisions;

/// <summary>With <c>Analyzer:Decisions:SigningKey</c>, every decision the analyzer publishes carries a valid HMAC that sidecars with the key accept.</summary>
public sealed class SignedDecisionTests
{
    private const string Key = "analyzer-test-signing-key-0123456789abcdef";

    [Fact]
    public async Task Published_decisions_are_signed_with_the_configured_key()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Analyzer:Model:Enabled"] = "false";
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.Configuration["Analyzer:Decisions:SigningKey"] = Key;
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAnalyzer();
        var transport = app.Services.GetRequiredService<IStreamTransport>();
        using var decisions = transport.CreateGroupConsumer(Streams.Decisions, "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);

        var requests = transport.GetProducer(Streams.Requests);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(requests.TryPublish("203.0.113.8", FailedLogin("203.0.113.8", T0.AddSeconds(i))));
        }

        var decision = (await decisions.ReadAsync(timeout.Token)).Value!;
        Assert.False(string.IsNullOrEmpty(decision.Signature));
        Assert.True(new DecisionSigner(Key).Verify(decision));
        Assert.False(new DecisionSigner("another-key-0123456789abcdef0123456789").Verify(decision));
        Assert.Null(new DecisionValidator(new DecisionRules { SigningKey = Key }).Validate(decision, "ip:203.0.113.8"));
        await app.StopAsync(timeout.Token);
    }
}
