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
            """);
        var run = new CommandRunner(context, options, handler);
        // --url and --output belong to the admin commands only: the offline ones have their own --url (traffic) and outputs.
        Command[] admin = [DecisionsCommand.Create(run), AllowlistCommand.Create(run), AlertsCommand.Create(run), CatalogCommand.Create(run), StatsCommand.Create(run)];
        foreach (var command in admin)
        {
            command.Options.Add(options.Url);
            command.Options.Add(options.Output);
            root.Subcommands.Add(command);
        }

        // admin hash-token works on its input only.
        root.Subcommands.Add(AdminCommand.Create(context));

        // Offline commands: files in, files or a report out; no admin API.
        foreach (var command in DetectionCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(ReportCommand.Create(context));
        return root;
    }
}
