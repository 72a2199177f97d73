namespace Analytics.Alerts.Templates;

/// <summary>A labelled value shown side by side with others (entity, count, first and last seen).</summary>
internal sealed record ViewFact(string Label, string Value);
