namespace Analytics.Search.Query;

/// <summary>A SQL fragment and its positional parameters (<c>$1</c>, <c>$2</c>, ...): user text only ever travels as a parameter.</summary>
public sealed class SqlQuery
{
    private readonly List<object?> _parameters = [];

    public IReadOnlyList<object?> Parameters => _parameters;

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string Add(object? value)
    {
        _parameters.Add(value);
        return "$" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A column name from the schema, quoted as an identifier.</summary>
    public static string Column(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
