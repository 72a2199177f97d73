using Analytics.Tools.Cli;
using Spectre.Console;

namespace Analytics.Tools;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or a pager there is no terminal width to fit; keep rows on one line.
            console.Profile.Width = 200;
        }

        return AnalyticsCommandLine.RunAsync(args, new CliContext(console, Console.Out, Console.Error, Environment.GetEnvironmentVariable));
    }
}
