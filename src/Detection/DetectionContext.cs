using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection;

/// <summary>What a detector sees for one entity after one event: its features and the event's route aggregate.</summary>
internal ref struct DetectionContext
{
    public required RequestEvent Event;
    public required EntityScope Scope;
    public required EntityState State;
    public required ReadOnlySpan<float> Features;
    public EntityState? Route;
    public ReadOnlySpan<float> RouteFeatures;
}
