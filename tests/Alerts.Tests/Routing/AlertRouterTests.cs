using Analytics.Alerts.Routing;
using Analytics.Alerts.Tests.Support;
using Analytics.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Alerts.Tests.Routing;

public sealed class AlertRouterTests
{
    private static readonly RouteChannel Slack = new("slack", AlertSeverities.Medium, 1000);
    private readonly FakeTimeProvider _time = new(TestAlerts.Seen);
    private long _ticket;

    private static AlertRouter Router(RoutingOptions? options = null, params RouteChannel[] channels) =>
        new(options ?? new RoutingOptions { GroupWait = TimeSpan.FromSeconds(10), DedupWindow = TimeSpan.FromMinutes(10) },
            channels.Length == 0 ? [Slack] : channels, TestStats.Create());

    private RouteResult Route(AlertRouter router, Alert alert) => router.Route(alert, _ticket++, _time.GetUtcNow());

    [Fact]
    public void A_thousand_repeats_of_one_key_give_one_message_and_one_update_that_says_1000()
    {
        var router = Router();
        var sent = new List<Notification>();
        for (var i = 0; i < 500; i++)
        {
            sent.AddRange(Route(router, TestAlerts.BruteForce()).Notifications);
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        sent.AddRange(router.Tick(_time.GetUtcNow()).Notifications);
        for (var i = 0; i < 500; i++)
        {
            sent.AddRange(Route(router, TestAlerts.BruteForce()).Notifications);
            _time.Advance(TimeSpan.FromMilliseconds(100));
            sent.AddRange(router.Tick(_time.GetUtcNow()).Notifications);
        }

        Assert.Single(sent);
        Assert.Equal(500, sent[0].Alert!.Count);

        _time.Advance(TimeSpan.FromMinutes(10));
        sent.AddRange(router.Tick(_time.GetUtcNow()).Notifications);
        sent.AddRange(router.Tick(_time.GetUtcNow()).Notifications);

        Assert.Equal([NotificationKind.Alert, NotificationKind.Update], sent.Select(n => n.Kind));
        Assert.Equal(1000, sent[1].Alert!.Count);
        Assert.Equal(sent[0].ThreadKey, sent[1].ThreadKey);
    }

    [Fact]
    public void Repeats_without_a_new_one_after_the_window_send_nothing_more_and_the_key_is_forgotten()
    {
        var router = Router();
        Route(router, TestAlerts.BruteForce());
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(router.Tick(_time.GetUtcNow()).Notifications);

        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Empty(router.Tick(_time.GetUtcNow()).Notifications);
        Assert.Equal(0, router.TrackedKeys);
    }

    [Fact]
    public void A_burst_of_200_brute_forces_from_different_addresses_is_one_digest_listing_the_top_entities()
    {
        var router = Router();
        for (var i = 0; i < 200; i++)
        {
            var alert = TestAlerts.BruteForce($"198.51.100.{i % 250}") with { Count = i == 7 ? 50 : 1 };
            Assert.Empty(Route(router, alert).Notifications);
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        var digest = Assert.Single(router.Tick(_time.GetUtcNow()).Notifications);

        Assert.Equal(NotificationKind.Digest, digest.Kind);
        Assert.Equal(200, digest.Digest!.EntityCount);
        Assert.Equal(249, digest.Digest.AlertCount);
        Assert.Equal(10, digest.Digest.Top.Count);
        Assert.Equal("ip:198.51.100.7", digest.Digest.Top[0].Entity);
    }

    [Fact]
    public void A_group_that_reaches_the_threshold_is_sent_without_waiting()
    {
        var router = Router(new RoutingOptions { GroupWait = TimeSpan.FromMinutes(1), GroupThreshold = 50 });
        var sent = new List<Notification>();
        for (var i = 0; i < 50; i++)
        {
            sent.AddRange(Route(router, TestAlerts.BruteForce($"198.51.100.{i}")).Notifications);
        }

        Assert.Equal(NotificationKind.Digest, Assert.Single(sent).Kind);
    }

    [Fact]
    public void A_repeat_at_a_higher_severity_is_sent_again_at_once()
    {
        var router = Router();
        Route(router, TestAlerts.BruteForce(severity: AlertSeverities.Medium));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(router.Tick(_time.GetUtcNow()).Notifications);

        Assert.Empty(Route(router, TestAlerts.BruteForce(severity: AlertSeverities.Medium)).Notifications);
        var escalation = Assert.Single(Route(router, TestAlerts.BruteForce(severity: AlertSeverities.Critical)).Notifications);

        Assert.Equal(NotificationKind.Escalation, escalation.Kind);
        Assert.Equal(AlertSeverities.Critical, escalation.Severity);
        Assert.Equal(AlertSeverities.Medium, escalation.PreviousSeverity);
        Assert.Equal(3, escalation.Alert!.Count);
    }

    [Fact]
    public void Each_channel_gets_only_what_reaches_its_minimum_severity()
    {
        var router = Router(null, new RouteChannel("slack", AlertSeverities.High, 100), new RouteChannel("webhook", AlertSeverities.Info, 100));
        Route(router, TestAlerts.BruteForce("192.0.2.1", severity: AlertSeverities.Medium) with { Type = AlertTypes.Scanning });
        Route(router, TestAlerts.BruteForce("192.0.2.2", severity: AlertSeverities.High));
        _time.Advance(TimeSpan.FromSeconds(10));

        var sent = router.Tick(_time.GetUtcNow()).Notifications;

        Assert.Equal(["webhook"], sent.Single(n => n.Severity == AlertSeverities.Medium).Channels);
        Assert.Equal(["slack", "webhook"], sent.Single(n => n.Severity == AlertSeverities.High).Channels);
    }

    [Fact]
    public void The_hourly_cap_holds_and_its_summary_is_sent_when_the_hour_ends()
    {
        var router = Router(new RoutingOptions { GroupWait = TimeSpan.Zero }, new RouteChannel("slack", AlertSeverities.Info, 3), new RouteChannel("email", AlertSeverities.Info, 100));
        var sent = new List<Notification>();
        for (var i = 0; i < 8; i++)
        {
            Route(router, TestAlerts.BruteForce($"192.0.2.{i}"));
            sent.AddRange(router.Tick(_time.GetUtcNow()).Notifications);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(8, sent.Count);
        Assert.Equal(3, sent.Count(n => n.Channels.Contains("slack")));
        Assert.Equal(8, sent.Count(n => n.Channels.Contains("email")));

        _time.Advance(TimeSpan.FromHours(1));
        var summary = Assert.Single(router.Tick(_time.GetUtcNow()).Notifications);

        Assert.Equal(NotificationKind.HeldSummary, summary.Kind);
        Assert.Equal(["slack"], summary.Channels);
        Assert.Equal(5, summary.Held!.Messages);
        Assert.Equal(5, summary.Held.ByType[AlertTypes.BruteForce]);
        Assert.Contains("ip:192.0.2.7", summary.Held.TopEntities);

        // A new hour: the channel sends again.
        Route(router, TestAlerts.BruteForce("192.0.2.99"));
        Assert.Contains("slack", Assert.Single(router.Tick(_time.GetUtcNow()).Notifications).Channels);
    }

    [Fact]
    public void Alerts_waiting_in_a_group_keep_their_stream_positions_until_the_group_is_sent()
    {
        var router = Router();
        var first = router.Route(TestAlerts.BruteForce("192.0.2.1"), 1, _time.GetUtcNow());
        var repeat = router.Route(TestAlerts.BruteForce("192.0.2.1"), 2, _time.GetUtcNow());
        Assert.Empty(first.Released);
        Assert.Empty(repeat.Released);

        _time.Advance(TimeSpan.FromSeconds(10));
        var flushed = router.Tick(_time.GetUtcNow());

        Assert.Equal([1L, 2L], flushed.Released.Order());
        Assert.Equal([3L], router.Route(TestAlerts.BruteForce("192.0.2.1"), 3, _time.GetUtcNow()).Released);
    }

    [Fact]
    public void Notification_ids_derive_from_the_alerts_so_a_redelivered_alert_maps_to_the_same_notification()
    {
        var alert = TestAlerts.BruteForce(id: "alert-1");
        string Once()
        {
            var router = Router();
            router.Route(alert, 0, _time.GetUtcNow());
            return router.Tick(_time.GetUtcNow() + TimeSpan.FromSeconds(10)).Notifications.Single().Id;
        }

        Assert.Equal(Once(), Once());
    }
}
