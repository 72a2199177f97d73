using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Messaging;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Ingest;

/// <summary>The two stages in-process: first-stage instances judge their IPs and re-key; second-stage owners judge each other entity.</summary>
public sealed class TwoStageTests
{
    internal static IEnumerable<RequestEvent> ApiKeyFromTwentyAddresses()
    {
        for (var k = 0; k < 120; k++)
        {
            yield return new RequestEvent
            {
                Timestamp = T0.AddMilliseconds(k * 150),
                RequestId = $"key-{k}",
                ClientIp = $"198.51.100.{1 + (k % 20)}",
                Method = "GET",
                RouteId = "items",
                PathTemplate = "/api/items/{id}",
                Path = $"/api/items/{1 + (k * 7 % 1000)}",
                Status = 200,
                Principal = new PrincipalInfo(PrincipalKinds.ApiKey, "partner-key"),
                Auth = new AuthInfo(AuthOutcomes.Success, null),
                UserAgent = "PartnerSync/1.0",
            };
        }
    }

    private static AnalyzerOptions Options()
    {
        var options = new AnalyzerOptions();
        options.Rules.Scraping.Scopes = "ip,api_key,cidr";
        return options;
    }

    [Fact]
    public void Three_first_stage_instances_and_keyed_second_stage_owners_decide_as_one_pipeline()
    {
        var events = ApiKeyFromTwentyAddresses().ToList();
        var single = Run(Pipeline(Options()), events).Where(o => o.Decision is not null).Select(o => o.Decision!.Key).Order().ToList();
        Assert.Contains("api_key:partner-key", single);

        // Three first-stage instances, each owning the IPs of some partitions; three second-stage owners by entity key.
        var first = Enumerable.Range(0, 3).Select(_ => Pipeline(Options())).ToArray();
        var second = Enumerable.Range(0, 3).Select(_ => Pipeline(Options())).ToArray();
        var outcomes = new List<AnalyzerOutcome>();
        var keys = new List<string>();
        var rekeyed = second[0].JudgedScopes & ~(1 << (int)EntityScope.Ip);
        foreach (var e in events)
        {
            var owner = first[(int)(Sketch.Hash(e.ClientIp) % 3)];
            owner.Process(e, outcomes, 1 << (int)EntityScope.Ip);
            keys.Clear();
            owner.Store.EntityKeys(e, rekeyed, keys);
            foreach (var key in keys)
            {
                var scope = EntityScopes.Parse(key.AsSpan(0, key.IndexOf(':')))!.Value;
                second[(int)(Sketch.Hash(key) % 3)].Process(e, outcomes, 1 << (int)scope);
            }
        }

        var scaled = outcomes.Where(o => o.Decision is not null).Select(o => o.Decision!.Key).Order().ToList();
        Assert.Equal(single, scaled);
    }
}

/// <summary>The two stages as hosted workers over the in-process transport.</summary>
public sealed class TwoStageWorkerTests
{
    [Fact]
    public async Task The_second_stage_worker_decides_on_an_api_key_seen_from_twenty_addresses()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseUrls(builder.WebHost, "http://127.0.0.1:0");
        builder.Configuration["Analyzer:Model:Enabled"] = "false";
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.Configuration["Analyzer:Stages"] = "two";
        builder.Configuration["Analyzer:Rules:Scraping:Scopes"] = "ip,api_key,cidr";
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAnalyzer();
        var transport = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IStreamTransport>(app.Services);
        using var decisions = transport.CreateGroupConsumer(Streams.Decisions, "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var requests = transport.GetProducer(Streams.Requests);
        foreach (var e in TwoStageTests.ApiKeyFromTwentyAddresses())
        {
            await requests.PublishAsync(e.ClientIp, e, timeout.Token);
        }

        var keys = new HashSet<string>();
        while (!keys.Contains("api_key:partner-key"))
        {
            keys.Add((await decisions.ReadAsync(timeout.Token)).Key);
        }

        Assert.Contains("cidr:198.51.100.0/24", keys);
        await app.StopAsync(timeout.Token);
    }
}
