namespace Analytics.Alerts.Routing;

/// <summary>What routing needs to know of a channel: its name, threshold and hourly cap.</summary>
internal sealed record RouteChannel(string Name, string MinSeverity, int MaxPerHour);
