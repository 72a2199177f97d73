using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Security", "SCS0005:Weak random number generator", Scope = "type", Target = "~T:Analytics.Alerts.Jobs.DeliveryRetryFilter", Justification = "Retry jitter only spreads retries in time; it guards nothing.")]
