using System.Numerics;

namespace Analytics.Detection.Features;

/// <summary>
/// The sliding-window state of one entity: two rings of fixed-size buckets and a few scalars,
/// about 900 bytes, with no references besides the key. Buckets are addressed by event time;
/// a bucket is reset when its slot is reused for a newer interval.
/// </summary>
internal sealed class EntityState
{
    private ShortRing _short;
    private LongRing _long;
    private int _shortHead;
    private int _longHead;
    private uint _lastAgent;
    private uint _lastIdTemplate;
    private long _lastId = -1;
    private float _gapMean;
    private float _gapVar;
    private float _baselinePerMinute;
    private Horizon _horizon;

    public EntityState(string key) => Key = key;

    /// <summary>An aggregate's state (range, login target, fingerprint, route): its hour sketch counts distinct sources.</summary>
    public EntityState(string key, bool aggregate)
    {
        Key = key;
        _horizon.CountsSources = aggregate;
    }

    /// <summary>The hour and day horizons.</summary>
    public ref readonly Horizon Horizon => ref _horizon;

    public string Key { get; }

    public long LastTicks { get; private set; }

    // Whole seconds since the window epoch: the first event's second is all anyone needs, and it keeps the state within a kilobyte.
    private int _firstSeconds;

    public long FirstTicks => FeatureWindows.EpochTicks + (_firstSeconds * TimeSpan.TicksPerSecond);

    public ushort GapSamples { get; private set; }

    /// <summary>The second of event time (since the window epoch) in which the anomaly model last scored this entity: it scores at most once per second.</summary>
    public int ModelScoredSecond { get; set; }

    /// <summary>Completed minutes folded into the rate baseline.</summary>
    public ushort BaselineMinutes { get; private set; }

    /// <summary>Adds one event. Returns false when it is older than the window can hold (late beyond tolerance).</summary>
    public bool Observe(in EventFacts e, long lateToleranceTicks)
    {
        if (LastTicks != 0 && e.Ticks < LastTicks - lateToleranceTicks)
        {
            return false;
        }

        var si = FeatureWindows.ShortIndex(e.Ticks);
        var li = FeatureWindows.LongIndex(e.Ticks);
        ref var sb = ref _short[si % FeatureWindows.ShortBuckets];
        if (sb.Index != si)
        {
            if (sb.Index > si)
            {
                return false;
            }

            sb = default;
            sb.Index = si;
        }

        ref var lb = ref _long[li % FeatureWindows.LongBuckets];
        if (lb.Index != li)
        {
            if (lb.Index > li)
            {
                return false;
            }

            lb = default;
            lb.Index = li;
        }

        if (li > _longHead)
        {
            FoldBaseline(li);
        }

        _shortHead = Math.Max(_shortHead, si);
        _horizon.Observe(e.Ticks, e.AuthFailure, e.LoginSuccess, _lastAgent != 0 && e.AgentHash != _lastAgent, _horizon.CountsSources ? e.SourceHash : e.PathHash);

        sb.Count++;
        lb.Count++;
        switch (e.Status)
        {
            case >= 200 and < 300: sb.S2xx = FeatureWindows.Inc(sb.S2xx); break;
            case 401: sb.S401 = FeatureWindows.Inc(sb.S401); break;
            case 403: sb.S403 = FeatureWindows.Inc(sb.S403); lb.Errors4xx = FeatureWindows.Inc(lb.Errors4xx); break;
            case 404: sb.S404 = FeatureWindows.Inc(sb.S404); lb.Errors4xx = FeatureWindows.Inc(lb.Errors4xx); lb.S404 = FeatureWindows.Inc(lb.S404); break;
            case 429: sb.S429 = FeatureWindows.Inc(sb.S429); break;
            case >= 500: sb.S5xx = FeatureWindows.Inc(sb.S5xx); break;
        }

        if (e.AuthFailure)
        {
            sb.AuthFail = FeatureWindows.Inc(sb.AuthFail);
            lb.AuthFail = FeatureWindows.Inc(lb.AuthFail);
            if (e.FailedLoginHash != 0)
            {
                sb.Logins |= Sketch.Bit64(e.FailedLoginHash);
                lb.Logins |= Sketch.Bit64(e.FailedLoginHash >> 8);
            }
        }

        if (e.LoginSuccess)
        {
            sb.LoginOk = FeatureWindows.Inc(sb.LoginOk);
            lb.LoginOk = FeatureWindows.Inc(lb.LoginOk);
        }

        if (e.Finding)
        {
            sb.Findings = FeatureWindows.Inc(sb.Findings);
            lb.Findings = FeatureWindows.Inc(lb.Findings);
            sb.CategoryMask |= e.CategoryMask;
        }

        if (e.Undocumented)
        {
            sb.Undocumented = FeatureWindows.Inc(sb.Undocumented);
            lb.Undocumented = FeatureWindows.Inc(lb.Undocumented);
        }

        if (e.Sensitive)
        {
            sb.Sensitive = FeatureWindows.Inc(sb.Sensitive);
            lb.Sensitive = FeatureWindows.Inc(lb.Sensitive);
        }

        sb.BytesIn += e.BytesIn;
        sb.BytesOut += e.BytesOut;
        sb.LatencyMs += e.LatencyMs;
        sb.Paths |= Sketch.Bit64(e.PathHash);
        sb.Templates |= Sketch.Bit32(e.TemplateHash);
        sb.Sources |= Sketch.Bit64(e.SourceHash);
        sb.Agents |= Sketch.Bit32(e.AgentHash);
        if (e.IdHash != 0)
        {
            if ((e.IdHash & 64) == 0)
            {
                sb.IdsLo |= Sketch.Bit64(e.IdHash);
            }
            else
            {
                sb.IdsHi |= Sketch.Bit64(e.IdHash);
            }

            // A scan walks ids in steps of one; count how often the next id is a neighbour of the last.
            if (e.IdValue >= 0 && _lastIdTemplate == e.TemplateHash && Math.Abs(e.IdValue - _lastId) == 1)
            {
                sb.Sequential = FeatureWindows.Inc(sb.Sequential);
                lb.Sequential = FeatureWindows.Inc(lb.Sequential);
            }

            _lastIdTemplate = e.TemplateHash;
            _lastId = e.IdValue;
        }

        if (_lastAgent != 0 && e.AgentHash != _lastAgent)
        {
            sb.UaChanges = FeatureWindows.Inc(sb.UaChanges);
        }

        _lastAgent = e.AgentHash;

        if (e.Ticks > LastTicks)
        {
            if (LastTicks != 0)
            {
                // Exponentially weighted mean and variance of the gaps: machine clients have a
                // small coefficient of variation, people and NATs a large one.
                var gap = (float)((e.Ticks - LastTicks) / (double)TimeSpan.TicksPerSecond);
                const float alpha = 0.1f;
                var diff = gap - _gapMean;
                var incr = alpha * diff;
                _gapMean = GapSamples == 0 ? gap : _gapMean + incr;
                _gapVar = GapSamples == 0 ? 0 : (1 - alpha) * (_gapVar + (diff * incr));
                if (GapSamples < ushort.MaxValue)
                {
                    GapSamples++;
                }
            }
            else
            {
                _firstSeconds = (int)((e.Ticks - FeatureWindows.EpochTicks) / TimeSpan.TicksPerSecond);
            }

            LastTicks = e.Ticks;
        }

        return true;
    }

    private void FoldBaseline(int newHead)
    {
        if (_longHead != 0)
        {
            ref var done = ref _long[_longHead % FeatureWindows.LongBuckets];
            var count = done.Index == _longHead ? done.Count : 0;
            var idle = Math.Min(newHead - _longHead - 1, 10);
            const float alpha = 0.2f;
            _baselinePerMinute = BaselineMinutes == 0 ? count : _baselinePerMinute + (alpha * (count - _baselinePerMinute));
            for (var i = 0; i < idle; i++)
            {
                _baselinePerMinute -= alpha * _baselinePerMinute;
            }

            BaselineMinutes = (ushort)Math.Min(ushort.MaxValue, BaselineMinutes + 1 + idle);
        }

        _longHead = newHead;
    }

    /// <summary>Fills <paramref name="f"/> (length <see cref="F.Count"/>) with the window features as of the newest event.</summary>
    public void Compute(Span<float> f)
    {
        f.Clear();
        int count = 0, s2 = 0, s401 = 0, s403 = 0, s404 = 0, s429 = 0, s5 = 0, fail = 0, ok = 0, findings = 0, undoc = 0, sens = 0, seq = 0, ua = 0, cats = 0;
        float bin = 0, bout = 0, lat = 0;
        ulong paths = 0, idsLo = 0, idsHi = 0, logins = 0, sources = 0;
        uint templates = 0, agents = 0;
        var oldest = _shortHead - FeatureWindows.ShortBuckets + 1;
        for (var i = 0; i < FeatureWindows.ShortBuckets; i++)
        {
            ref readonly var b = ref _short[i];
            if (b.Index < oldest || b.Index > _shortHead)
            {
                continue;
            }

            count += b.Count; s2 += b.S2xx; s401 += b.S401; s403 += b.S403; s404 += b.S404; s429 += b.S429; s5 += b.S5xx;
            fail += b.AuthFail; ok += b.LoginOk; findings += b.Findings; undoc += b.Undocumented; sens += b.Sensitive;
            seq += b.Sequential; ua += b.UaChanges; cats |= b.CategoryMask;
            bin += b.BytesIn; bout += b.BytesOut; lat += b.LatencyMs;
            paths |= b.Paths; idsLo |= b.IdsLo; idsHi |= b.IdsHi; logins |= b.Logins; sources |= b.Sources;
            templates |= b.Templates; agents |= b.Agents;
        }

        float n = Math.Max(count, 1);
        f[F.Requests1m] = count;
        f[F.Rate1m] = count / 60f;
        f[F.Rate10s] = RecentRate();
        f[F.DistinctPaths1m] = Sketch.Estimate(paths);
        f[F.DistinctTemplates1m] = Sketch.Estimate(templates);
        f[F.DistinctIds1m] = Sketch.Estimate(idsLo, idsHi);
        f[F.SequentialRatio1m] = seq / n;
        f[F.Ratio2xx] = s2 / n;
        f[F.Ratio401] = s401 / n;
        f[F.Ratio403] = s403 / n;
        f[F.Ratio404] = s404 / n;
        f[F.Ratio429] = s429 / n;
        f[F.Ratio5xx] = s5 / n;
        f[F.AuthFailures1m] = fail;
        f[F.LoginSuccesses1m] = ok;
        f[F.DistinctFailedLogins1m] = Sketch.Estimate(logins);
        f[F.Findings1m] = findings;
        f[F.FindingCategories1m] = BitOperations.PopCount((uint)cats);
        f[F.Undocumented1m] = undoc;
        f[F.Sensitive1m] = sens;
        f[F.BytesInAvg] = bin / n;
        f[F.BytesOutAvg] = bout / n;
        f[F.LatencyMsAvg] = lat / n;
        f[F.UaChanges1m] = ua;
        f[F.DistinctAgents1m] = Sketch.Estimate(agents);
        f[F.InterArrivalCv] = GapSamples < 8 || _gapMean <= 0 ? 1f : MathF.Sqrt(Math.Max(_gapVar, 0)) / _gapMean;
        f[F.DistinctSources1m] = Sketch.Estimate(sources);
        f[F.BaselineRate] = BaselineMinutes >= 3 ? _baselinePerMinute / 60f : 0f;

        int lcount = 0, lfail = 0, lok = 0, lerr = 0, lfind = 0, lsens = 0, lseq = 0, lundoc = 0, l404 = 0;
        ulong llogins = 0;
        var loldest = _longHead - FeatureWindows.LongBuckets + 1;
        for (var i = 0; i < FeatureWindows.LongBuckets; i++)
        {
            ref readonly var b = ref _long[i];
            if (b.Index < loldest || b.Index > _longHead)
            {
                continue;
            }

            lcount += b.Count; lfail += b.AuthFail; lok += b.LoginOk; lerr += b.Errors4xx; lfind += b.Findings;
            lsens += b.Sensitive; lseq += b.Sequential; lundoc += b.Undocumented; l404 += b.S404; llogins |= b.Logins;
        }

        f[F.Requests10m] = lcount;
        f[F.AuthFailures10m] = lfail;
        f[F.LoginSuccesses10m] = lok;
        f[F.DistinctFailedLogins10m] = Sketch.Estimate(llogins);
        f[F.Errors4xx10m] = lerr;
        f[F.Findings10m] = lfind;
        f[F.Sensitive10m] = lsens;
        f[F.Sequential10m] = lseq;
        f[F.Undocumented10m] = lundoc;
        f[F.NotFound10m] = l404;
        _horizon.Fill(f);

        // Interactions a linear model cannot form itself: PCA sees sums, not products.
        f[F.RegularDistinctPaths1m] = Math.Max(f[F.DistinctPaths1m], f[F.DistinctIds1m]) * Math.Max(0, 1 - f[F.InterArrivalCv]);
        f[F.SequentialIds1m] = f[F.DistinctIds1m] * Math.Min(1, f[F.SequentialRatio1m]);
        f[F.DeniedIds1m] = f[F.DistinctIds1m] * (f[F.Ratio403] + f[F.Ratio404]);
    }

    /// <summary>Requests per second over the last 10 s, blending the previous bucket by how much of it the window still covers.</summary>
    private float RecentRate()
    {
        ref readonly var head = ref _short[_shortHead % FeatureWindows.ShortBuckets];
        ref readonly var prev = ref _short[(_shortHead - 1) % FeatureWindows.ShortBuckets];
        var headCount = head.Index == _shortHead ? head.Count : 0;
        var prevCount = prev.Index == _shortHead - 1 ? prev.Count : 0;
        var intoHead = (LastTicks - FeatureWindows.EpochTicks - ((long)_shortHead * FeatureWindows.ShortBucketTicks)) / (double)FeatureWindows.ShortBucketTicks;
        intoHead = Math.Clamp(intoHead, 0, 1);
        return (float)((headCount + (prevCount * (1 - intoHead))) / 10.0);
    }

    /// <summary>The window start of the 1-minute features, for evidence.</summary>
    public DateTimeOffset ShortWindowStart =>
        new(FeatureWindows.EpochTicks + ((long)(_shortHead - FeatureWindows.ShortBuckets + 1) * FeatureWindows.ShortBucketTicks), TimeSpan.Zero);

    public DateTimeOffset LongWindowStart =>
        new(FeatureWindows.EpochTicks + ((long)(_longHead - FeatureWindows.LongBuckets + 1) * FeatureWindows.LongBucketTicks), TimeSpan.Zero);

    public DateTimeOffset LastSeen => new(LastTicks, TimeSpan.Zero);

    public DateTimeOffset FirstSeen => new(FirstTicks, TimeSpan.Zero);
}
