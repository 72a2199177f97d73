namespace Analytics.Detection.Features;

/// <summary>The tracked clients inside an address range: all of them, those that logged in successfully, and those that only failed.</summary>
internal readonly record struct RangeCensus(int Clients, int WithLoginSuccess, int FailingOnly);
