using Analytics.Analyzer.Ingest;
using Analytics.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Ingest;

/// <summary>
/// The read loop no longer waits for the brokers, so an event's offset must wait for its effects:
/// over the in-process transport, whatever a consumer read and did not commit is delivered again
/// to the group's next consumer, which shows exactly what was committed.
/// </summary>
public sealed class InOrderCommitsTests
{
    [Fact]
    public void An_event_whose_effects_are_in_flight_holds_back_its_commit_and_every_later_one()
    {
        var transport = NewTransport();
        var requests = transport.GetProducer(Streams.Requests);
        Publish(requests, 3);
        var acknowledged = new TaskCompletionSource();

        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "g"))
        {
            var commits = new InOrderCommits<RequestEvent>(consumer);
            commits.Add(Read(consumer), acknowledged.Task);
            commits.Add(Read(consumer), null);
            commits.Add(Read(consumer), Task.CompletedTask);
            commits.CommitSettled();
        }

        // Nothing was committed: the next consumer gets all three again, the first one first.
        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "g"))
        {
            var commits = new InOrderCommits<RequestEvent>(consumer);
            var first = Read(consumer);
            Assert.Equal(0, first.Offset);
            commits.Add(first, acknowledged.Task);
            commits.Add(Read(consumer), null);
            commits.Add(Read(consumer), null);
            acknowledged.SetResult();
            commits.CommitSettled();
        }

        // Acknowledged, so all three are committed and nothing comes back.
        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "g"))
        {
            Assert.Null(consumer.Read(TimeSpan.FromMilliseconds(50), CancellationToken.None));
        }
    }

    [Fact]
    public void A_failed_effect_throws_before_its_event_is_committed_so_the_event_is_read_again()
    {
        var transport = NewTransport();
        Publish(transport.GetProducer(Streams.Requests), 2);

        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "g"))
        {
            var commits = new InOrderCommits<RequestEvent>(consumer);
            commits.Add(Read(consumer), null);
            var failing = Read(consumer);
            Assert.Throws<InvalidOperationException>(() => commits.Add(failing, Task.FromException(new InvalidOperationException("broker said no"))));
        }

        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "g"))
        {
            Assert.Equal(1, Read(consumer).Offset);
            Assert.Null(consumer.Read(TimeSpan.FromMilliseconds(50), CancellationToken.None));
        }
    }

    [Fact]
    public void On_stop_what_was_acknowledged_is_committed_and_the_rest_is_left_to_be_read_again()
    {
        var transport = NewTransport();
        Publish(transport.GetProducer(Streams.Requests), 3);

        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "g"))
        {
            var commits = new InOrderCommits<RequestEvent>(consumer);
            var acknowledged = new TaskCompletionSource();
            var inFlight = new TaskCompletionSource();
            commits.Add(Read(consumer), acknowledged.Task);
            commits.Add(Read(consumer), inFlight.Task);
            commits.Add(Read(consumer), null);
            // Acknowledged while queued, not by a timer: the test must not depend on how busy the machine is.
            acknowledged.SetResult();
            commits.Drain(TimeSpan.FromMilliseconds(200));
        }

        using (var consumer = transport.CreateGroupConsumer(Streams.Requests, "g"))
        {
            Assert.Equal(1, Read(consumer).Offset);
            Assert.Equal(2, Read(consumer).Offset);
            Assert.Null(consumer.Read(TimeSpan.FromMilliseconds(50), CancellationToken.None));
        }
    }

    private static IStreamTransport NewTransport() =>
        new ServiceCollection().AddStreams(new ConfigurationBuilder().Build()).BuildServiceProvider().GetRequiredService<IStreamTransport>();

    private static void Publish(IStreamProducer<RequestEvent> requests, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(requests.TryPublish("203.0.113.7", FailedLogin("203.0.113.7", T0.AddSeconds(i))));
        }
    }

    private static StreamMessage<RequestEvent> Read(IStreamConsumer<RequestEvent> consumer) =>
        consumer.Read(TimeSpan.FromSeconds(10), CancellationToken.None) ?? throw new TimeoutException("no message within 10 s");
}
