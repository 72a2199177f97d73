namespace Analytics.Search.Query;

/// <summary>A query that does not parse or names an unknown field; <see cref="Position"/> is the 1-based column of the problem.</summary>
public sealed class KqlSyntaxException : Exception
{
    public KqlSyntaxException()
    {
    }

    public KqlSyntaxException(string message) : base(message)
    {
    }

    public KqlSyntaxException(string message, Exception inner) : base(message, inner)
    {
    }

    public KqlSyntaxException(string problem, int offset)
        : base($"{problem} at column {offset + 1}")
    {
        Problem = problem;
        Position = offset + 1;
    }

    /// <summary>1-based column in the query text.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; } = "";
}
