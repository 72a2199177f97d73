using System.CommandLine;
using Analytics.Tools.Admin;
using Analytics.Tools.Inspect;
using Analytics.Tools.Offline;

namespace Analytics.Tools.Cli;

/// <summary>The <c>analytics</c> command line: everyday work against the admin APIs, and the offline commands.</summary>
internal static class AnalyticsCommandLine
{
    public static async Task<int> RunAsync(string[] args, CliContext context, HttpMessageHandler? handler = null)
    {
        var root = Build(context, handler);
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync("analytics: " + error.Message);
            }

            await context.Error.WriteLineAsync("Run 'analytics --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation);
    }

    public static RootCommand Build(CliContext context, HttpMessageHandler? handler = null)
    {
        var options = new GlobalOptions(context);
        var root = new RootCommand($"""
            Everyday work with the API security analytics admin APIs (the admin token is read from
            {CliContext.TokenVariable}), and the offline commands: train, evaluate, replay, generate,
            traffic, inspect, search, report.

            {ExitCodes.Help}
            """)
        {
            options.Url,
            options.Output,
        };
        var run = new CommandRunner(context, options, handler);
        root.Subcommands.Add(DecisionsCommand.Create(run));
        root.Subcommands.Add(AllowlistCommand.Create(run));
        root.Subcommands.Add(AlertsCommand.Create(run));
        root.Subcommands.Add(CatalogCommand.Create(run));
        root.Subcommands.Add(StatsCommand.Create(run));

        // Offline commands: files in, files or a report out; no admin API.
        foreach (var command in DetectionCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }
}
