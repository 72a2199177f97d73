using Analytics.Tools.Cli;
using Spectre.Console;

namespace Analytics.Tools;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        AnalyticsCommandLine.RunAsync(args, new CliContext(AnsiConsole.Console, Console.Out, Console.Error, Environment.GetEnvironmentVariable));
}
