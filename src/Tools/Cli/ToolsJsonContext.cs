using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Tools.Cli;

/// <summary>Source-generated JSON for what the tool composes itself.</summary>
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class ToolsJsonContext : JsonSerializerContext;
