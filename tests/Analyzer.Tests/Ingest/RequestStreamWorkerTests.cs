using Analytics.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Ingest;

public sealed class RequestStreamWorkerTests
{
    [Fact]
    public async Task Failed_logins_on_the_requests_stream_produce_a_block_decision_and_an_alert()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Analyzer:Model:Enabled"] = "false";
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAnalyzer();
        var transport = app.Services.GetRequiredService<IStreamTransport>();
        using var decisions = transport.CreateGroupConsumer(Streams.Decisions, "test");
        using var alerts = transport.CreateGroupConsumer(Streams.Alerts, "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);

        var requests = transport.GetProducer(Streams.Requests);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(requests.TryPublish("203.0.113.7", FailedLogin("203.0.113.7", T0.AddSeconds(i))));
        }

        var decision = await decisions.ReadAsync(timeout.Token);
        Assert.Equal("ip:203.0.113.7", decision.Key);
        Assert.Equal(DecisionActions.Block, decision.Value!.Action);
        var alert = await alerts.ReadAsync(timeout.Token);
        Assert.Equal("brute_force:ip:203.0.113.7", alert.Key);
        Assert.Equal(decision.Value.Id, alert.Value!.DecisionId);
        await app.StopAsync(timeout.Token);
    }
}
