using Analytics.ServiceDefaults.Options;

namespace Analytics.Analyzer.Search;

/// <summary>Reports every bad <c>Search:*</c> value at once, each with its key.</summary>
internal static class SearchOptionsValidator
{
    public static void Validate(SearchOptions o, ValidationErrors errors)
    {
        // Data stream names are lowercase and may not contain '-' in the namespace part.
        errors.AddIf(string.IsNullOrWhiteSpace(o.Namespace) || o.Namespace.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')),
            "Namespace", "must be lowercase letters, digits and '_' (it is part of the data stream names)");
        errors.AddIf(string.IsNullOrWhiteSpace(o.ConsumerGroup), "ConsumerGroup", "must not be empty");
        errors.AddIf(o.BatchSize is < 1 or > 10_000, "BatchSize", "must be between 1 and 10000");
        errors.AddIf(o.FlushInterval <= TimeSpan.Zero || o.FlushInterval > TimeSpan.FromMinutes(1), "FlushInterval", "must be between 0 and 1 minute");
        errors.AddIf(o.KibanaUrl is { Length: > 0 } k && !IsHttpUrl(k), "KibanaUrl", "must be an http(s) URL");
        errors.AddIf(string.IsNullOrWhiteSpace(o.DeadLetterPath), "DeadLetterPath", "must not be empty");

        var es = o.Elasticsearch;
        if (!string.IsNullOrWhiteSpace(es.Url))
        {
            errors.AddIf(!IsHttpUrl(es.Url), "Elasticsearch:Url", "must be an http(s) URL");
            errors.AddIf(!string.IsNullOrEmpty(es.Username) && string.IsNullOrEmpty(es.Password), "Elasticsearch:Password", "is required with Elasticsearch:Username");
        }

        errors.AddIf(es.RetentionDays is < 1 or > 3650, "Elasticsearch:RetentionDays", "must be between 1 and 3650");
        errors.AddIf(es.InitialBackoff <= TimeSpan.Zero, "Elasticsearch:InitialBackoff", "must be positive");
        errors.AddIf(es.MaxBackoff < es.InitialBackoff, "Elasticsearch:MaxBackoff", "must be at least InitialBackoff");
        errors.AddIf(es.RequestTimeout <= TimeSpan.Zero, "Elasticsearch:RequestTimeout", "must be positive");

        var a = o.Archive;
        errors.AddIf(string.IsNullOrWhiteSpace(a.Directory), "Archive:Directory", "must not be empty");
        errors.AddIf(a.MaxFileBytes < 64 * 1024, "Archive:MaxFileBytes", "must be at least 65536");
        errors.AddIf(a.MaxTotalBytes < a.MaxFileBytes, "Archive:MaxTotalBytes", "must be at least MaxFileBytes");
        errors.AddIf(a.RetentionDays is < 1 or > 3650, "Archive:RetentionDays", "must be between 1 and 3650");
        errors.AddIf(a.RecentIds is < 1000 or > 10_000_000, "Archive:RecentIds", "must be between 1000 and 10000000");

        errors.AddIf(string.IsNullOrWhiteSpace(o.Report.Cron), "Report:Cron", "must not be empty");
        errors.AddIf(string.IsNullOrWhiteSpace(o.Report.Directory), "Report:Directory", "must not be empty");
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
