using System.Net;
using System.Net.Sockets;
using Analytics.Detection.Features;

namespace Analytics.Detection.Decisions;

/// <summary>
/// Decides whether a range may be blocked: never wider than the minimum prefix, never over an
/// allowlisted address or range, never where too many real users would be hurt. A refusal names
/// its reason; the detection then stays an alert.
/// </summary>
internal sealed class RangeGuard(RangeOptions options, Allowlist allowlist)
{
    /// <summary>Counts the clients inside a range; set by the pipeline, which owns the feature store.</summary>
    public Func<IPNetwork, RangeCensus>? Census { get; set; }

    /// <summary>Null when the range may be decided on, else why not. <paramref name="census"/> is what the range holds, when it could be counted.</summary>
    public string? Refusal(string value, out RangeCensus? census)
    {
        census = null;
        if (!IPNetwork.TryParse(value, out var range))
        {
            return $"'{value}' is not a CIDR range";
        }

        if (!options.Enabled)
        {
            return "range decisions are off (Analyzer:Decisions:Ranges:Enabled)";
        }

        var v4 = range.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        var min = v4 ? options.MinPrefixV4 : options.MinPrefixV6;
        if (range.PrefixLength < min)
        {
            return $"/{range.PrefixLength} is wider than the minimum prefix /{min}";
        }

        if (allowlist.Overlaps(range) is { } entry)
        {
            return $"the range overlaps the allowlisted {entry}";
        }

        census = Census?.Invoke(range);
        if (census is { } c && c.WithLoginSuccess > options.MaxCollateral)
        {
            return $"the range holds {c.WithLoginSuccess} clients that logged in successfully (at most {options.MaxCollateral})";
        }

        return null;
    }
}
