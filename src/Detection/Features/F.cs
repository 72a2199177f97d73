namespace Analytics.Detection.Features;

/// <summary>Indices and names of the window feature vector every detector and the model read.</summary>
internal static class F
{
    public const int Requests1m = 0;
    public const int Rate10s = 1;
    public const int Rate1m = 2;
    public const int DistinctPaths1m = 3;
    public const int DistinctTemplates1m = 4;
    public const int DistinctIds1m = 5;
    public const int SequentialRatio1m = 6;
    public const int Ratio2xx = 7;
    public const int Ratio401 = 8;
    public const int Ratio403 = 9;
    public const int Ratio404 = 10;
    public const int Ratio429 = 11;
    public const int Ratio5xx = 12;
    public const int AuthFailures1m = 13;
    public const int LoginSuccesses1m = 14;
    public const int DistinctFailedLogins1m = 15;
    public const int Findings1m = 16;
    public const int FindingCategories1m = 17;
    public const int Undocumented1m = 18;
    public const int Sensitive1m = 19;
    public const int BytesInAvg = 20;
    public const int BytesOutAvg = 21;
    public const int LatencyMsAvg = 22;
    public const int UaChanges1m = 23;
    public const int DistinctAgents1m = 24;
    public const int InterArrivalCv = 25;
    public const int DistinctSources1m = 26;
    public const int Requests10m = 27;
    public const int AuthFailures10m = 28;
    public const int LoginSuccesses10m = 29;
    public const int DistinctFailedLogins10m = 30;
    public const int Errors4xx10m = 31;
    public const int Findings10m = 32;
    public const int Sensitive10m = 33;
    public const int Sequential10m = 34;
    public const int Undocumented10m = 35;
    public const int BaselineRate = 36;
    public const int NotFound10m = 37;
    /// <summary>Distinct paths weighted by timing regularity (1 − CV): high only for machine-regular crawling of many pages.</summary>
    public const int RegularDistinctPaths1m = 38;
    /// <summary>Distinct ids weighted by the share of neighbour steps: high only for sequential scans.</summary>
    public const int SequentialIds1m = 39;
    /// <summary>Distinct ids weighted by the 403/404 share: high only for probing ids that are not the caller's.</summary>
    public const int DeniedIds1m = 40;
    /// <summary>Hour horizon (decayed, time constant one hour): requests, authentication failures, login successes.</summary>
    public const int Requests1h = 41;
    public const int AuthFailures1h = 42;
    public const int LoginSuccesses1h = 43;
    /// <summary>Day horizon (decayed, time constant one day).</summary>
    public const int AuthFailures24h = 44;
    public const int LoginSuccesses24h = 45;
    /// <summary>Distinct paths over the last hour (clients, keys, subjects).</summary>
    public const int DistinctPaths1h = 46;
    /// <summary>Distinct client addresses over the last hour (ranges, login targets, fingerprints, routes).</summary>
    public const int DistinctSources1h = 47;
    /// <summary>User-agent changes between consecutive requests over the hour horizon.</summary>
    public const int UaChanges1h = 48;
    public const int Count = 49;

    public static readonly string[] Names =
    [
        "requests_1m", "rate_10s", "rate_1m", "distinct_paths_1m", "distinct_templates_1m", "distinct_ids_1m",
        "sequential_id_ratio_1m", "ratio_2xx_1m", "ratio_401_1m", "ratio_403_1m", "ratio_404_1m", "ratio_429_1m", "ratio_5xx_1m",
        "auth_failures_1m", "login_successes_1m", "distinct_failed_logins_1m", "inspection_findings_1m", "finding_categories_1m",
        "undocumented_hits_1m", "sensitive_path_hits_1m", "bytes_in_avg", "bytes_out_avg", "latency_ms_avg", "user_agent_changes_1m",
        "distinct_user_agents_1m", "inter_arrival_cv", "distinct_sources_1m", "requests_10m", "auth_failures_10m",
        "login_successes_10m", "distinct_failed_logins_10m", "errors_4xx_10m", "inspection_findings_10m", "sensitive_path_hits_10m",
        "sequential_ids_10m", "undocumented_hits_10m", "baseline_rate", "not_found_10m",
        "regular_distinct_paths_1m", "sequential_ids_1m", "denied_ids_1m",
        "requests_1h", "auth_failures_1h", "login_successes_1h", "auth_failures_24h", "login_successes_24h",
        "distinct_paths_1h", "distinct_sources_1h", "user_agent_changes_1h",
    ];

    public static string Name(int index) => Names[index];
}
