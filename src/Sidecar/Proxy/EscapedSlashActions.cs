namespace Analytics.Sidecar.Proxy;

/// <summary>
/// Values of <c>Sidecar:Proxy:EscapedSlashes</c>: what to do with a path holding an escaped
/// slash (<c>%2F</c>, <c>%5C</c>, any case). Named after Envoy Gateway's spelling of Envoy's
/// <c>path_with_escaped_slashes_action</c>, with the same meaning.
/// </summary>
public static class EscapedSlashActions
{
    /// <summary>400 problem+json (the default): the sidecar and the upstream could disagree on the path's segments.</summary>
    public const string RejectRequest = "RejectRequest";

    /// <summary>
    /// Route on the path as sent, the escape being data inside its segment. YARP forwards that
    /// segment with its '%' escaped (<c>%2F</c> arrives as <c>%252F</c>), so an upstream that
    /// decodes once reads the same segments the sidecar routed on.
    /// </summary>
    public const string KeepUnchanged = "KeepUnchanged";

    /// <summary>307 to the unescaped, dot-normalised path, so every hop sees the same path.</summary>
    public const string UnescapeAndRedirect = "UnescapeAndRedirect";

    /// <summary>Unescape, normalise dot segments, then route and forward the result.</summary>
    public const string UnescapeAndForward = "UnescapeAndForward";

    public static readonly IReadOnlyList<string> All = [RejectRequest, KeepUnchanged, UnescapeAndRedirect, UnescapeAndForward];

    /// <summary>The canonical spelling of <paramref name="value"/>, or null when it is none of them.</summary>
    public static string? Parse(string? value) =>
        All.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
}
