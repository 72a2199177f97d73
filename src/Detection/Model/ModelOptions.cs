using Analytics.ServiceDefaults.Options;

namespace Analytics.Detection.Model;

/// <summary>The anomaly model (<c>Analyzer:Model</c>).</summary>
public sealed class ModelOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The model .zip; its model card is the same path with .json. Relative paths resolve against the working directory, then the app directory.</summary>
    public string Path { get; set; } = "models/default.zip";

    /// <summary>Reload when the file changes, without a restart.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Decide, log and alert, but mark model decisions simulated.</summary>
    public bool Simulate { get; set; }

    /// <summary><c>block</c>, <c>throttle</c> or <c>alert</c>.</summary>
    public string Action { get; set; } = "block";

    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(15);

    public string Severity { get; set; } = "medium";

    /// <summary>Windows with fewer requests are not scored: too little to judge.</summary>
    public int MinRequests { get; set; } = 10;

    /// <summary>Entities seen for less than this are not scored: a window of a few seconds says little about behaviour. Rules still judge them at once.</summary>
    public TimeSpan MinHistory { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>When the class model (trained where labels exist) calls an anomalous window benign, raise nothing: unusual is not hostile.</summary>
    public bool ClassifierVeto { get; set; } = true;

    /// <summary>Multiplies the calibrated threshold; above 1 makes the model more conservative.</summary>
    public double ThresholdScale { get; set; } = 1.0;

    /// <summary>How many features an anomaly decision names.</summary>
    public int TopFeatures { get; set; } = 3;
}

/// <summary>Validates <see cref="ModelOptions"/>.</summary>
internal static class ModelOptionsValidator
{
    public static void Validate(ModelOptions m, ValidationErrors errors)
    {
        errors.AddIf(m.Action is not ("block" or "throttle" or "alert"), "Model:Action", $"'{m.Action}' is not block, throttle or alert");
        errors.AddIf(m.Ttl <= TimeSpan.Zero, "Model:Ttl", "must be positive");
        errors.AddIf(m.MinRequests < 1, "Model:MinRequests", "must be at least 1");
        errors.AddIf(m.ThresholdScale <= 0, "Model:ThresholdScale", "must be positive");
        errors.AddIf(m.TopFeatures is < 1 or > 10, "Model:TopFeatures", "must be between 1 and 10");
        errors.AddIf(m.Enabled && string.IsNullOrWhiteSpace(m.Path), "Model:Path", "must be set when the model is enabled");
    }
}
