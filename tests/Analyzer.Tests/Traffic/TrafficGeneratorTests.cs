using System.Collections.Concurrent;
using Analytics.Detection;
using Analytics.Messaging;
using Analytics.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Analyzer.Tests.Traffic;

public sealed class TrafficGeneratorTests
{
    [Fact]
    public void Same_seed_same_traffic_and_a_different_seed_differs()
    {
        var a = TrafficGenerator.Generate(TrafficOptions.Demo(1)).Select(TrafficGenerator.ToJsonLine).ToList();
        var b = TrafficGenerator.Generate(TrafficOptions.Demo(1)).Select(TrafficGenerator.ToJsonLine).ToList();
        var c = TrafficGenerator.Generate(TrafficOptions.Demo(2)).Select(TrafficGenerator.ToJsonLine).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Every_attack_class_and_every_benign_population_is_present_and_labelled()
    {
        var events = TrafficGenerator.Generate(new TrafficOptions { BrowsingUsers = 20 }).ToList();
        Assert.Equal(TrafficLabels.AttackClasses.Order(), events.Where(e => e.AttackClass is not null).Select(e => e.AttackClass!).Distinct().Order());
        Assert.All(events.Where(e => e.AttackClass is not null), e => Assert.Equal(TrafficLabels.Attack, e.Label));
        foreach (var actor in new[] { "browser", "nat-", "batch-", "crawler-", "-slow-", "-distributed-" })
        {
            Assert.Contains(events, e => e.Actor.Contains(actor, StringComparison.Ordinal));
        }

        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Event.Timestamp <= p.Second.Event.Timestamp));
        Assert.Contains("\"attack_class\":\"flood\"", TrafficGenerator.ToJsonLine(events.First(e => e.AttackClass == AlertTypes.Flood)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_mode_sends_from_distinct_loopback_addresses_within_its_bounds()
    {
        var seen = new ConcurrentDictionary<string, int>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.Run(ctx =>
        {
            seen.AddOrUpdate(ctx.Connection.RemoteIpAddress!.ToString(), 1, (_, n) => n + 1);
            ctx.Response.StatusCode = ctx.Request.Path == "/api/login" ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var options = TrafficOptions.Demo(3);
        options.Speed = 1000;
        options.MaxRequests = 300;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var summary = await TrafficGenerator.RunHttpAsync(new Uri(url), options, cts.Token);
        await app.StopAsync();

        Assert.Equal(300, summary.Sent);
        Assert.True(seen.Keys.Count > 5, $"only {seen.Keys.Count} client addresses");
        Assert.All(seen.Keys, ip => Assert.StartsWith("127.", ip, StringComparison.Ordinal));
        Assert.Equal(summary.Sent - summary.Failed, summary.ByStatus.Values.Sum());
        // The server saw every answered request (plus token logins the driver made on its own).
        Assert.True(seen.Values.Sum() >= summary.ByStatus.Values.Sum());
    }
}

public sealed class DemoTrafficTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Demo_mix_detects_every_attacker_and_no_benign_client(int seed)
    {
        var (events, outcomes) = Scenarios.Run(TrafficOptions.Demo(seed), model: Scenarios.DefaultModel());
        var flagged = outcomes.Select(o => o.Alert.Entity).ToHashSet();
        var attackers = events.Where(e => e.Label == TrafficLabels.Attack).Select(e => "ip:" + e.Event.ClientIp).ToHashSet();
        var benign = events.Where(e => e.Label == TrafficLabels.Benign).Select(e => "ip:" + e.Event.ClientIp).ToHashSet();
        Assert.Empty(benign.Intersect(flagged));
        Assert.Subset(flagged, attackers);
    }
}
