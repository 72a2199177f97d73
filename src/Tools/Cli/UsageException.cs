namespace Analytics.Tools.Cli;

/// <summary>Arguments that parse but make no sense together; exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
