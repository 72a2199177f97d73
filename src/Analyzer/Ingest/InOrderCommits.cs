using Analytics.Messaging;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// At-least-once without waiting on the read loop: an event's effects (decisions, alerts, re-keyed
/// copies) are produced and the loop reads on; the event is committed once they are acknowledged,
/// and events are committed in read order, so a later event never commits past an earlier one whose
/// effects are still in flight. A failed effect throws before its event is committed: it is read again.
/// </summary>
internal sealed class InOrderCommits<T>(IStreamConsumer<T> consumer) where T : class
{
    // Beyond this many events in flight the loop waits for the oldest (the producer is behind).
    private const int MaxPending = 10_000;

    private readonly Queue<(StreamMessage<T> Message, Task? Effects)> _pending = new();

    /// <summary>Commits <paramref name="message"/> now when nothing is in flight, else once it and everything before it are acknowledged.</summary>
    public void Add(StreamMessage<T> message, Task? effects)
    {
        if (_pending.Count == 0 && (effects is null || effects.IsCompletedSuccessfully))
        {
            consumer.Commit(message);
            return;
        }

        _pending.Enqueue((message, effects));
        CommitSettled();
    }

    /// <summary>Commits the acknowledged head of the queue (called per event and whenever the stream is quiet).</summary>
    public void CommitSettled()
    {
        while (_pending.TryPeek(out var head) && (head.Effects is null || head.Effects.IsCompleted || _pending.Count > MaxPending))
        {
            _pending.Dequeue();
            head.Effects?.GetAwaiter().GetResult();
            consumer.Commit(head.Message);
        }
    }

    /// <summary>
    /// On stop: waits up to <paramref name="grace"/> for what is in flight and commits what was
    /// acknowledged; anything else stays uncommitted and is read again.
    /// </summary>
    public void Drain(TimeSpan grace)
    {
        var deadline = Environment.TickCount64 + (long)grace.TotalMilliseconds;
        while (_pending.TryPeek(out var head))
        {
            if (head.Effects is { IsCompleted: false } effects)
            {
                var left = Math.Max(0, deadline - Environment.TickCount64);
                try
                {
                    effects.Wait(TimeSpan.FromMilliseconds(left));
                }
                catch (AggregateException)
                {
                    // Failed: it is not committed (below).
                }
            }

            if (head.Effects is { IsCompletedSuccessfully: false })
            {
                return;
            }

            _pending.Dequeue();
            consumer.Commit(head.Message);
        }
    }
}
