using System.CommandLine;

namespace Analytics.Tools.Cli;

/// <summary><c>analytics alerts list</c>: the most recent alerts.</summary>
internal static class AlertsCommand
{
    public static Command Create(CommandRunner run)
    {
        var list = new Command("list", "Recent alerts, newest as the service keeps them");
        list.SetAction(run.Action(async (_, client, output, ct) =>
        {
            var alerts = await client.GetAsync("alerts", ct);
            if (output.IsJson)
            {
                output.Json(alerts);
                return;
            }

            output.Table(alerts, "No alerts.",
                ("last seen", "last_seen"), ("type", "type"), ("severity", "severity"), ("entity", "entity"),
                ("count", "count"), ("title", "title"), ("decision", "decision_id"));
        }));

        return new Command("alerts", "Alerts raised by the analyzer") { list };
    }
}
