namespace Analytics.Alerts.Templates;

/// <summary>One line of a message, optionally linked (a digest's entity to its Kibana view).</summary>
internal sealed record ViewLine(string Text, string? Url = null);
