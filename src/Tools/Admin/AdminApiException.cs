namespace Analytics.Tools.Admin;

/// <summary>The admin API answered with an error (or could not be reached); <see cref="ExitCode"/> says which kind.</summary>
internal sealed class AdminApiException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
