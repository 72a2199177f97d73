namespace Analytics.Search.Ecs;

/// <summary>One of the three document streams and its data stream naming (<c>logs-analytics.&lt;name&gt;-&lt;namespace&gt;</c>).</summary>
public sealed class SearchStream
{
    private SearchStream(string name) => Name = name;

    public static readonly SearchStream Requests = new("requests");
    public static readonly SearchStream Decisions = new("decisions");
    public static readonly SearchStream Alerts = new("alerts");

    public static IReadOnlyList<SearchStream> All { get; } = [Requests, Decisions, Alerts];

    /// <summary><c>requests</c>, <c>decisions</c> or <c>alerts</c>; also the archive's file name prefix.</summary>
    public string Name { get; }

    /// <summary>The ECS <c>event.dataset</c> and <c>data_stream.dataset</c>: <c>analytics.requests</c>.</summary>
    public string Dataset => "analytics." + Name;

    /// <summary>The data stream this stream's documents go to in a namespace.</summary>
    public string DataStream(string @namespace) => "logs-" + Dataset + "-" + @namespace;

    public static SearchStream? FromName(string name) => All.FirstOrDefault(s => s.Name == name);

    public override string ToString() => Name;
}
