using System.CommandLine;

namespace Analytics.Tools.Cli;

/// <summary><c>analytics catalog [--openapi]</c>: the API operations the sidecar has seen.</summary>
internal static class CatalogCommand
{
    public static Command Create(CommandRunner run)
    {
        var openApi = new Option<bool>("--openapi") { Description = "Print the catalog as an OpenAPI 3 document (JSON)" };
        var command = new Command("catalog", "Operations seen through the sidecar, documented or not") { openApi };
        command.SetAction(run.Action(async (parse, client, output, ct) =>
        {
            if (parse.GetValue(openApi))
            {
                output.Json(await client.GetAsync("catalog/openapi.json", ct));
                return;
            }

            var catalog = await client.GetAsync("catalog", ct);
            if (output.IsJson)
            {
                output.Json(catalog);
                return;
            }

            output.Table(catalog.GetProperty("operations"), "No operations seen yet.",
                ("method", "method"), ("path", "path"), ("route", "route_id"), ("count", "count"),
                ("documented", "documented"), ("first seen", "first_seen"), ("last seen", "last_seen"));
        }));
        return command;
    }
}
