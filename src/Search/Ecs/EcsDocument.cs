namespace Analytics.Search.Ecs;

/// <summary>One ECS document ready to index: its stream, its id (used as <c>_id</c>, so a redelivered message is not indexed twice) and its JSON source.</summary>
public sealed record EcsDocument(SearchStream Stream, string Id, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Source);
