using System.CommandLine;
using System.Text.Json.Nodes;

namespace Analytics.Tools.Cli;

/// <summary><c>analytics allowlist list|add|delete</c>: entities the analyzer never decides against.</summary>
internal static class AllowlistCommand
{
    public static Command Create(CommandRunner run)
    {
        var list = new Command("list", "Allowlist entries in force");
        list.SetAction(run.Action(async (_, client, output, ct) =>
        {
            var entries = await client.GetAsync("analyzer/allowlist", ct);
            if (output.IsJson)
            {
                output.Json(entries);
                return;
            }

            output.Table(entries, "The allowlist is empty.", ("scope", "scope"), ("value", "value"), ("expires", "expires"), ("reason", "reason"));
        }));

        var addScope = ScopeOption();
        var addValue = ValueOption();
        var ttl = new Option<int?>("--ttl") { Description = "Seconds the entry lasts (default: until removed or restart)" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept with the entry)" };
        var add = new Command("add", "Allowlist an entity (run time only; Analyzer:Decisions:Allowlist in config survives restarts)") { addScope, addValue, ttl, reason };
        add.SetAction(run.Action(async (parse, client, output, ct) =>
        {
            var body = new JsonObject { ["scope"] = parse.GetValue(addScope), ["value"] = parse.GetValue(addValue) };
            if (parse.GetValue(ttl) is { } seconds)
            {
                if (seconds <= 0)
                {
                    throw new UsageException("--ttl must be positive");
                }

                body["expires"] = DateTimeOffset.UtcNow.AddSeconds(seconds);
            }

            if (parse.GetValue(reason) is { } why)
            {
                body["reason"] = why;
            }

            var answer = await client.PostAsync("analyzer/allowlist", body, ct);
            if (output.IsJson)
            {
                output.Json(answer);
                return;
            }

            output.Line($"Allowlisted {parse.GetValue(addScope)} {parse.GetValue(addValue)}.");
        }));

        var deleteScope = ScopeOption();
        var deleteValue = ValueOption();
        var delete = new Command("delete", "Remove an allowlist entry") { deleteScope, deleteValue };
        delete.SetAction(run.Action(async (parse, client, output, ct) =>
        {
            var path = $"analyzer/allowlist?scope={Uri.EscapeDataString(parse.GetValue(deleteScope)!)}&value={Uri.EscapeDataString(parse.GetValue(deleteValue)!)}";
            var answer = await client.DeleteAsync(path, ct);
            if (output.IsJson)
            {
                output.Json(answer);
                return;
            }

            output.Line($"Removed {parse.GetValue(deleteScope)} {parse.GetValue(deleteValue)} from the allowlist.");
        }));

        return new Command("allowlist", "The analyzer's allowlist") { list, add, delete };
    }

    private static Option<string> ScopeOption()
    {
        var scope = new Option<string>("--scope") { Description = "ip, cidr, api_key or subject", Required = true };
        scope.AcceptOnlyFromAmong("ip", "cidr", "api_key", "subject");
        return scope;
    }

    private static Option<string> ValueOption() => new("--value") { Description = "The address, range, key id or subject", Required = true };
}
