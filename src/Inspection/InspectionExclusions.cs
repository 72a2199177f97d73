namespace Analytics.Inspection;

/// <summary>A route's rule and parameter exclusions, compiled once per options change.</summary>
internal sealed class InspectionExclusions
{
    private readonly HashSet<string> _disabled;
    private readonly (string Prefix, string Name, HashSet<string>? Rules)[] _parameters;

    public InspectionExclusions(RouteInspectionOptions options)
    {
        _disabled = new HashSet<string>(options.DisabledRules, StringComparer.OrdinalIgnoreCase);
        _parameters = new (string, string, HashSet<string>?)[options.Exclusions.Count];
        for (var i = 0; i < options.Exclusions.Count; i++)
        {
            var e = options.Exclusions[i];
            var colon = e.Parameter.IndexOf(':', StringComparison.Ordinal);
            var prefix = colon < 0 ? e.Parameter : e.Parameter[..colon];
            var name = colon < 0 ? "*" : e.Parameter[(colon + 1)..];
            _parameters[i] = (prefix, name, e.Rules.Count == 0 ? null : new HashSet<string>(e.Rules, StringComparer.OrdinalIgnoreCase));
        }
    }

    public bool IsEmpty => _disabled.Count == 0 && _parameters.Length == 0;

    public bool IsExcluded(Rule rule, ValueLocation location)
    {
        if (_disabled.Contains(rule.Id) || _disabled.Contains(rule.Category))
        {
            return true;
        }

        foreach (var (prefix, name, rules) in _parameters)
        {
            if (!string.Equals(prefix, location.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name != "*" && !string.Equals(name, location.Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (rules is null || rules.Contains(rule.Id) || rules.Contains(rule.Category))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Validates a route's settings, naming each key relative to the route's Inspection section.</summary>
    internal static void Validate(RouteInspectionOptions o, Action<string, string> error)
    {
        if (!InspectionModes.IsValid(o.Mode))
        {
            error("Mode", $"'{o.Mode}' is not one of off, detect, block");
        }

        if (!InspectionModes.IsValid(o.OpenApiValidation))
        {
            error("OpenApiValidation", $"'{o.OpenApiValidation}' is not one of off, detect, block");
        }

        if (o.Threshold < 1)
        {
            error("Threshold", "must be at least 1");
        }

        if (o.ParanoiaLevel is < 1 or > FindingSet.MaxParanoia)
        {
            error("ParanoiaLevel", "must be 1, 2, 3 or 4");
        }

        if (!OversizeBodyActions.IsValid(o.OversizeBody))
        {
            error("OversizeBody", $"'{o.OversizeBody}' is not one of flag, block");
        }

        if (o.MaxBodyBytes is < 0)
        {
            error("MaxBodyBytes", "must not be negative");
        }

        for (var i = 0; i < o.Exclusions.Count; i++)
        {
            var p = o.Exclusions[i].Parameter;
            var colon = p.IndexOf(':', StringComparison.Ordinal);
            var prefix = colon < 0 ? p : p[..colon];
            if (prefix is not ("path" or "query" or "header" or "cookie" or "body" or "request"))
            {
                error($"Exclusions:{i}:Parameter", $"'{p}' must start with path, query, header, cookie, body or request");
            }
        }
    }
}
