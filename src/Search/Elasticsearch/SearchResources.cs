using System.Reflection;

namespace Analytics.Search.Elasticsearch;

/// <summary>The JSON files under deploy/elasticsearch, embedded in this assembly so the indexer applies exactly what an operator would.</summary>
public static class SearchResources
{
    public const string IlmPolicy = "ilm-policy.json";
    public const string MappingsComponent = "component-template-mappings.json";
    public const string SettingsComponent = "component-template-settings.json";

    /// <summary>The text of one embedded file, e.g. <c>ilm-policy.json</c>.</summary>
    public static string Read(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("elasticsearch/" + fileName)
            ?? throw new InvalidOperationException($"embedded resource elasticsearch/{fileName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Every embedded file name.</summary>
    public static IEnumerable<string> Names() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith("elasticsearch/", StringComparison.Ordinal))
            .Select(n => n["elasticsearch/".Length..]);
}
