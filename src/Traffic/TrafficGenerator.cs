using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Messaging;

namespace Analytics.Traffic;

/// <summary>
/// Seeded, reproducible benign and attack traffic: as labelled RequestEvent JSON lines (for
/// train and evaluate) or as real HTTP against a base URL from distinct 127.0.0.0/8 addresses.
/// </summary>
public static class TrafficGenerator
{
    /// <summary>The planned traffic as labelled events in time order, as the demo sidecar would report it.</summary>
    public static IEnumerable<LabelledEvent> Generate(TrafficOptions options)
    {
        var plan = new TrafficPlanner(options).Plan();
        var simulator = new DemoSimulator(options);
        foreach (var p in plan)
        {
            yield return simulator.Answer(p);
        }
    }

    /// <summary>Writes labelled events as JSON lines: the RequestEvent contract plus <c>label</c> and <c>attack_class</c>.</summary>
    public static async Task<int> WriteJsonLinesAsync(IEnumerable<LabelledEvent> events, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var n = 0;
        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(ToJsonLine(e));
            n++;
        }

        return n;
    }

    public static string ToJsonLine(LabelledEvent e)
    {
        var node = JsonSerializer.SerializeToNode(e.Event, MessagesJsonContext.Default.RequestEvent)!.AsObject();
        node["label"] = e.Label;
        node["attack_class"] = e.AttackClass;
        node["actor"] = e.Actor;
        return node.ToJsonString();
    }

    /// <summary>
    /// Sends the planned traffic as real HTTP to <paramref name="baseUrl"/>, each simulated client
    /// from its own 127.x.y.z source address, bounded by <see cref="TrafficOptions.MaxRequests"/>
    /// and <see cref="TrafficOptions.MaxWallTime"/>.
    /// </summary>
    public static Task<TrafficRunSummary> RunHttpAsync(Uri baseUrl, TrafficOptions options, CancellationToken cancellationToken) =>
        new HttpTrafficDriver(baseUrl, options).RunAsync(cancellationToken);
}

/// <summary>What an HTTP traffic run did.</summary>
public sealed record TrafficRunSummary(int Sent, int Failed, IReadOnlyDictionary<int, int> ByStatus, IReadOnlyDictionary<string, string> ClientAddresses)
{
    public override string ToString()
    {
        var sb = new StringBuilder($"sent {Sent}, failed {Failed};");
        foreach (var (status, count) in ByStatus.OrderBy(kv => kv.Key))
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $" {status}:{count}");
        }

        return sb.ToString();
    }
}
