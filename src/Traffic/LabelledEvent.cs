using Analytics.Messaging;

namespace Analytics.Traffic;

/// <summary>A request event with its ground truth: <c>benign</c> or <c>attack</c> and the attack class.</summary>
public sealed record LabelledEvent(RequestEvent Event, string Label, string? AttackClass, string Actor);
