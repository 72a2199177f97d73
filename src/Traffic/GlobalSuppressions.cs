using System.Diagnostics.CodeAnalysis;

// Simulated traffic must be reproducible from a seed, which is what System.Random is for; nothing
// it draws is a secret (tokens and keys come from RandomNumberGenerator).
[assembly: SuppressMessage("Security", "SCS0005:Weak random number generator", Scope = "type", Target = "~T:Analytics.Traffic.TrafficPlanner", Justification = "Seeded simulated traffic, not secrets.")]
[assembly: SuppressMessage("Security", "SCS0005:Weak random number generator", Scope = "type", Target = "~T:Analytics.Traffic.DemoSimulator", Justification = "Seeded simulated traffic, not secrets.")]
