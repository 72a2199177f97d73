namespace Analytics.Search.Query;

/// <summary>Rows of a search, top or histogram: column names and one value array per row.</summary>
public sealed record SearchResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    public static readonly SearchResult Empty = new([], []);
}
