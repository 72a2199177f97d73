namespace Analytics.Detection.Features;

/// <summary>
/// The hour and day horizons of one entity in 32 bytes: exponentially decayed counters (time
/// constants of one hour and one day) and a distinct-value sketch over the current half-hour epoch
/// plus the previous one's estimate (so it spans the last 30 to 60 minutes). Slow attacks accumulate evidence here long after the ten-minute window has
/// forgotten them. Counters are <see cref="Half"/>: thresholds sit in the tens and hundreds, where
/// its three significant digits are plenty, and it keeps the entity within a kilobyte.
/// </summary>
internal struct Horizon
{
    private const double HourSeconds = 3600;
    private const double DaySeconds = 86_400;
    private const int EpochSeconds = 1800;

    // A 96-bit linear-counting map (Sketch.Estimate96) in three 32-bit words: accurate to a few hundred distinct values,
    // and the struct packs on 4 bytes instead of 8.
    private uint _sketch0;
    private uint _sketch1;
    private uint _sketch2;
    private int _seconds;
    private Half _previousEpoch;
    private Half _requests;
    private Half _failures;
    private Half _successes;
    private Half _dayFailures;
    private Half _daySuccesses;
    private Half _agentChanges;

    /// <summary>True when the sketch counts distinct sources (aggregates), false when it counts distinct paths (clients).</summary>
    public bool CountsSources;

    public readonly float Requests => (float)_requests;

    public readonly float Failures => (float)_failures;

    public readonly float Successes => (float)_successes;

    public readonly float DayFailures => (float)_dayFailures;

    public readonly float DaySuccesses => (float)_daySuccesses;

    /// <summary>User-agent changes between consecutive requests over the hour horizon: many for a NAT's users, none for one program.</summary>
    public readonly float AgentChanges => (float)_agentChanges;

    /// <summary>Adds one event at <paramref name="ticks"/>; a late event counts as if it came now (the decay is minutes, not seconds).</summary>
    public void Observe(long ticks, bool failure, bool success, bool agentChanged, uint distinctHash)
    {
        var seconds = (int)((ticks - FeatureWindows.EpochTicks) / TimeSpan.TicksPerSecond);
        // The epoch follows from the newest second, so it needs no field of its own.
        var previousEpoch = _seconds / EpochSeconds;
        if (seconds > _seconds)
        {
            if (_seconds != 0)
            {
                var dt = seconds - _seconds;
                var hour = (float)Math.Exp(-dt / HourSeconds);
                var day = (float)Math.Exp(-dt / DaySeconds);
                _requests = (Half)((float)_requests * hour);
                _failures = (Half)((float)_failures * hour);
                _successes = (Half)((float)_successes * hour);
                _dayFailures = (Half)((float)_dayFailures * day);
                _daySuccesses = (Half)((float)_daySuccesses * day);
                _agentChanges = (Half)((float)_agentChanges * hour);
            }

            _seconds = seconds;
        }

        var epoch = seconds / EpochSeconds;
        if (epoch > previousEpoch)
        {
            _previousEpoch = epoch == previousEpoch + 1 ? (Half)SketchEstimate() : Half.Zero;
            _sketch0 = _sketch1 = _sketch2 = 0;
        }

        if (agentChanged)
        {
            _agentChanges = Inc(_agentChanges);
        }

        _requests = Inc(_requests);
        if (failure)
        {
            _failures = Inc(_failures);
            _dayFailures = Inc(_dayFailures);
        }

        if (success)
        {
            _successes = Inc(_successes);
            _daySuccesses = Inc(_daySuccesses);
        }

        var bit = Sketch.Bit32(distinctHash);
        switch ((distinctHash >> 5) % 3)
        {
            case 0: _sketch0 |= bit; break;
            case 1: _sketch1 |= bit; break;
            default: _sketch2 |= bit; break;
        }
    }

    /// <summary>
    /// Distinct values over the last 30–60 minutes: this epoch's plus the previous epoch's. A value
    /// seen in both counts twice; the rules compare it with counts of pages that are nearly all new.
    /// </summary>
    public readonly float Distinct() => SketchEstimate() + (float)_previousEpoch;

    private readonly float SketchEstimate() => Sketch.Estimate96(
        System.Numerics.BitOperations.PopCount(_sketch0) + System.Numerics.BitOperations.PopCount(_sketch1)
        + System.Numerics.BitOperations.PopCount(_sketch2));

    public readonly void Fill(Span<float> f)
    {
        f[F.Requests1h] = Requests;
        f[F.AuthFailures1h] = Failures;
        f[F.LoginSuccesses1h] = Successes;
        f[F.AuthFailures24h] = DayFailures;
        f[F.LoginSuccesses24h] = DaySuccesses;
        f[F.UaChanges1h] = AgentChanges;
        f[CountsSources ? F.DistinctSources1h : F.DistinctPaths1h] = Distinct();
    }

    private static Half Inc(Half v) => v >= Half.MaxValue ? v : (Half)((float)v + 1);
}
