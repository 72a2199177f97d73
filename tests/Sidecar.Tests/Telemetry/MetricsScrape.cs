namespace Analytics.Sidecar.Tests.Telemetry;

/// <summary>Reads the Prometheus text of an admin listener's /metrics.</summary>
internal static class MetricsScrape
{
    /// <summary>The sample value at the end of a series line.</summary>
    public static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The lines of one metric (any label set).</summary>
    public static IEnumerable<string> Series(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));

    /// <summary>Scrapes again (bounded) while the exporter's short cache still shows an older collection.</summary>
    public static async Task<string> UntilAsync(HttpClient admin, string prefix, Func<string, bool> seen)
    {
        var text = "";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            text = await admin.GetStringAsync("/metrics");
            if (text.Split('\n').Any(l => l.StartsWith(prefix, StringComparison.Ordinal) && seen(l)))
            {
                return text;
            }

            await Task.Delay(100);
        }

        return text;
    }
}
