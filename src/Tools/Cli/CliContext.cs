using Spectre.Console;

namespace Analytics.Tools.Cli;

/// <summary>Where a command writes and what it reads from the environment (tests give their own).</summary>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Out, TextWriter Error, Func<string, string?> Environment)
{
    /// <summary>The admin token; never taken from the command line, where it would show in the process list and shell history.</summary>
    public const string TokenVariable = "ANALYTICS_ADMIN_TOKEN";

    /// <summary>The default admin URL when <c>--url</c> is not given.</summary>
    public const string UrlVariable = "ANALYTICS_URL";
}
