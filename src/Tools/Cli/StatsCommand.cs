using System.CommandLine;
using System.Text.Json;
using Analytics.Tools.Admin;

namespace Analytics.Tools.Cli;

/// <summary><c>analytics stats</c>: the counters of whichever services answer on the admin URL.</summary>
internal static class StatsCommand
{
    private static readonly (string Title, string Path)[] Sources = [("sidecar", "stats"), ("analyzer", "analyzer/stats")];

    public static Command Create(CommandRunner run)
    {
        var command = new Command("stats", "Counters of the sidecar and the analyzer (those present on this admin listener)");
        command.SetAction(run.Action(async (_, client, output, ct) =>
        {
            var found = new Dictionary<string, JsonElement>();
            foreach (var (title, path) in Sources)
            {
                try
                {
                    found[title] = await client.GetAsync(path, ct);
                }
                catch (AdminApiException ex) when (ex.ExitCode == ExitCodes.NotFound)
                {
                    // Not this service's listener (e.g. the analyzer's own in the compose stack).
                }
            }

            if (found.Count == 0)
            {
                throw new AdminApiException("no stats endpoint on this admin listener", ExitCodes.NotFound);
            }

            if (output.IsJson)
            {
                using var document = JsonDocument.Parse(JsonSerializer.Serialize(found, ToolsJsonContext.Default.DictionaryStringJsonElement));
                output.Json(document.RootElement);
                return;
            }

            foreach (var (title, stats) in found)
            {
                output.KeyValues(title, stats);
            }
        }));
        return command;
    }
}
