using System.Text.Json.Serialization;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Stats;

namespace Analytics.Alerts;

/// <summary>Source-generated JSON for the alerts service's own types (stored notifications, webhook summaries, stats).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(AlertStatsSnapshot))]
internal sealed partial class AlertsJsonContext : JsonSerializerContext;
