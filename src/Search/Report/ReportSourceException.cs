namespace Analytics.Search.Report;

/// <summary>The report's source refused the query or could not be reached; the message says which and why, for an operator.</summary>
public sealed class ReportSourceException : Exception
{
    public ReportSourceException()
    {
    }

    public ReportSourceException(string message) : base(message)
    {
    }

    public ReportSourceException(string message, Exception? inner) : base(message, inner)
    {
    }

    public ReportSourceException(ReportSourceFailure failure, string message, Exception? inner = null) : base(message, inner) => Failure = failure;

    public ReportSourceFailure Failure { get; }
}
