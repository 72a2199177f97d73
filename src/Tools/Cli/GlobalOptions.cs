using System.CommandLine;

namespace Analytics.Tools.Cli;

/// <summary>Options every command takes: which admin API, and how to print.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:9901";

    public GlobalOptions(CliContext context)
    {
        Url = new Option<string>("--url")
        {
            Description = $"Admin API base URL (default: ${CliContext.UrlVariable} or {DefaultUrl}; in the compose stack the analyzer's is :9902, the alerts service's :9903)",
            Recursive = true,
            DefaultValueFactory = _ => context.Environment(CliContext.UrlVariable) is { Length: > 0 } url ? url : DefaultUrl,
        };
        Output = new Option<string>("--output", "-o")
        {
            Description = "table (for people) or json (the API's JSON, for scripts)",
            Recursive = true,
            DefaultValueFactory = _ => "table",
        };
        Output.AcceptOnlyFromAmong("table", "json");
    }

    public Option<string> Url { get; }

    public Option<string> Output { get; }
}
