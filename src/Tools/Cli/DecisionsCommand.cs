using System.CommandLine;
using System.Text.Json.Nodes;

namespace Analytics.Tools.Cli;

/// <summary><c>analytics decisions list|add|delete</c>: the sidecar's decisions in force.</summary>
internal static class DecisionsCommand
{
    public static Command Create(CommandRunner run)
    {
        var list = new Command("list", "Decisions in force (blocks, throttles, allows)");
        list.SetAction(run.Action(async (_, client, output, ct) =>
        {
            var decisions = await client.GetAsync("decisions", ct);
            if (output.IsJson)
            {
                output.Json(decisions);
                return;
            }

            output.Table(decisions, "No decisions in force.",
                ("id", "id"), ("scope", "scope"), ("value", "value"), ("action", "action"), ("rate", "rate"),
                ("source", "source"), ("reason", "reason"), ("simulated", "simulated"), ("expires", "expires"));
        }));

        var scope = new Option<string>("--scope") { Description = "ip, cidr, api_key or subject", Required = true };
        scope.AcceptOnlyFromAmong("ip", "cidr", "api_key", "subject");
        var value = new Option<string>("--value") { Description = "The address, range, key id or subject", Required = true };
        var action = new Option<string>("--action") { Description = "block, throttle or allow", DefaultValueFactory = _ => "block" };
        action.AcceptOnlyFromAmong("block", "throttle", "allow");
        var rate = new Option<double?>("--rate") { Description = "Requests per second a throttle allows" };
        var ttl = new Option<int>("--ttl") { Description = "Seconds the decision lasts", DefaultValueFactory = _ => 3600 };
        var reason = new Option<string>("--reason") { Description = "Why (kept with the decision)", DefaultValueFactory = _ => "manual" };
        var add = new Command("add", "Add a decision; prints it with its id") { scope, value, action, rate, ttl, reason };
        add.SetAction(run.Action(async (parse, client, output, ct) =>
        {
            var body = new JsonObject
            {
                ["scope"] = parse.GetValue(scope),
                ["value"] = parse.GetValue(value),
                ["action"] = parse.GetValue(action),
                ["reason"] = parse.GetValue(reason),
                ["ttl_seconds"] = parse.GetValue(ttl),
            };
            if (parse.GetValue(rate) is { } r)
            {
                body["rate"] = r;
            }

            var stored = await client.PostAsync("decisions", body, ct);
            if (output.IsJson)
            {
                output.Json(stored);
                return;
            }

            output.Line($"Added decision {stored.GetProperty("id").GetString()}.");
        }));

        var id = new Argument<string>("id") { Description = "The decision's id (from list or add)" };
        var delete = new Command("delete", "Lift a decision") { id };
        delete.SetAction(run.Action(async (parse, client, output, ct) =>
        {
            var lifted = parse.GetValue(id)!;
            var answer = await client.DeleteAsync("decisions/" + Uri.EscapeDataString(lifted), ct);
            if (output.IsJson)
            {
                output.Json(answer);
                return;
            }

            output.Line($"Lifted decision {lifted}.");
        }));

        return new Command("decisions", "Decisions the sidecar enforces") { list, add, delete };
    }
}
