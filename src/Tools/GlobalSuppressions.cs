using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Security", "SCS0005:Weak random number generator", Scope = "type", Target = "~T:Analytics.Tools.Inspect.PlacementGenerator", Justification = "Seeded placement of corpus payloads for the offline evaluation, not secrets.")]
[assembly: SuppressMessage("Security", "SCS0005:Weak random number generator", Scope = "type", Target = "~T:Analytics.Tools.Inspect.ApiValueShapes", Justification = "Seeded generation of benign training values, not secrets.")]
