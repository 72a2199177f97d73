
using Analytics.Detection.Features;

namespace Analytics.Detection;

/// <summary>An explainable detector evaluated on every event for each entity the event touched.</summary>
internal interface IDetector
{
    string Name { get; }

    /// <summary>The alert type it raises (see <see cref="Messaging.AlertTypes"/>).</summary>
    string AlertType { get; }

    /// <summary>Bit per <see cref="EntityScope"/> the detector judges.</summary>
    int ScopeMask { get; }

    /// <summary>Returns a hit when the entity crosses the detector's thresholds, else null. Must not allocate when nothing is found.</summary>
    DetectorHit? Evaluate(ref DetectionContext context);
}

/// <summary>Parses scope lists such as <c>ip,subject,cidr</c>.</summary>
internal static class ScopeMasks
{
    public static int Parse(string scopes)
    {
        var mask = 0;
        foreach (var s in scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            mask |= s switch
            {
                "ip" => 1 << (int)EntityScope.Ip,
                "api_key" => 1 << (int)EntityScope.ApiKey,
                "subject" => 1 << (int)EntityScope.Subject,
                "route" => 1 << (int)EntityScope.Route,
                "cidr" => 1 << (int)EntityScope.Prefix,
                "login" => 1 << (int)EntityScope.LoginTarget,
                "fingerprint" => 1 << (int)EntityScope.Fingerprint,
                _ => throw new FormatException($"'{s}' is not ip, api_key, subject, route, cidr, login or fingerprint"),
            };
        }

        return mask;
    }

    public static bool IsValid(string scopes)
    {
        try
        {
            return Parse(scopes) != 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
