using System.Diagnostics;

namespace Analytics.ServiceDefaults.Telemetry;

/// <summary>
/// Links from a span of ours to the traces of the requests a message names (their W3C trace ids,
/// as the request events carry them). An event carries its trace id only, not a span id, so a
/// link names the trace and an empty span. Ids that are not 32 hex digits are left out: they come
/// from the streams and must not throw.
/// </summary>
public static class TraceLinks
{
    /// <summary>One link per distinct valid trace id, in order; empty when there is none.</summary>
    public static ActivityLink[] To(params ReadOnlySpan<string?> traceIds)
    {
        var links = new List<ActivityLink>(traceIds.Length);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in traceIds)
        {
            if (IsTraceId(id) && seen.Add(id!))
            {
                var context = new ActivityContext(ActivityTraceId.CreateFromString(id.AsSpan()), default, ActivityTraceFlags.None, isRemote: true);
                links.Add(new ActivityLink(context));
            }
        }

        return [.. links];
    }

    /// <summary>32 lower- or upper-case hex digits, not all zero (the W3C invalid id).</summary>
    public static bool IsTraceId(string? id)
    {
        if (id is not { Length: 32 })
        {
            return false;
        }

        var nonZero = false;
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            nonZero |= c != '0';
        }

        return nonZero;
    }
}
