using System.Diagnostics.Metrics;
using Analytics.Alerts.Stats;

namespace Analytics.Alerts.Tests.Support;

/// <summary>An <see cref="AlertStats"/> on its own meter factory, for tests of routing alone.</summary>
internal static class TestStats
{
    public static AlertStats Create() => new(new TestMeterFactory());

    private sealed class TestMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
