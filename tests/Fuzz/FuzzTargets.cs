using Analytics.Fuzz.Targets;

namespace Analytics.Fuzz;

/// <summary>Every harness, by name.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new NormalizerTarget(),
        new InspectionTarget(),
        new BodyWalkerTarget("json", "application/json"),
        new BodyWalkerTarget("form", "application/x-www-form-urlencoded"),
        new BodyWalkerTarget("multipart", "multipart/form-data; boundary=" + BodyWalkerTarget.Boundary),
        new BodyWalkerTarget("xml", "application/xml"),
        new AccessLogTarget(),
        new MessagesTarget(),
        new DecisionsTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
