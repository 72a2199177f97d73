using System.Text;
using System.Text.Json;
using Analytics.Inspection.Detectors;
using Analytics.Inspection.Model;
using Analytics.Inspection.Normalization;
using Microsoft.Extensions.Primitives;

namespace Analytics.Inspection;

/// <summary>
/// Runs normalisation once per value and every detector over it, location by location, each
/// in its own grammar (query pairs, cookies, JSON strings, form and multipart fields, XML
/// text), then adds the learned model's opinion. Shared by the middleware and the
/// <c>inspect</c> command, so offline figures are the production behaviour.
/// </summary>
internal sealed class InspectionEngine
{
    public static readonly Rule ModelRule = new("model-text-classifier", Categories.Model, 5, "the learned classifier's probability is over its threshold");

    // Called one by one, in this order (the order findings are reported in): an array of the interface cost an
    // interface dispatch per detector and value, 7% of a JSON body's inspection.
    private readonly SqlInjectionDetector _sqlInjection = new();
    private readonly XssDetector _xss = new();
    private readonly TemplateInjectionDetector _templateInjection = new();
    private readonly PathTraversalDetector _pathTraversal = new();
    private readonly CommandInjectionDetector _commandInjection = new();
    private readonly CrlfInjectionDetector _crlfInjection = new();
    private readonly SsrfDetector _ssrf = new();
    private readonly OpenRedirectDetector _openRedirect = new();
    private readonly NoSqlInjectionDetector _noSqlInjection = new();
    private readonly LdapInjectionDetector _ldapInjection = new();
    private readonly XxeDetector _xxe = new();
    private readonly PhpInjectionDetector _phpInjection = new();
    private readonly JavaInjectionDetector _javaInjection = new();
    private readonly GenericInjectionDetector _genericInjection = new();
    private readonly ShellEvasionDetector _shellEvasion = new();
    private readonly RemoteFileInclusionDetector _remoteFileInclusion = new();
    private readonly SessionFixationDetector _sessionFixation = new();
    private readonly RestrictedCharsDetector _restrictedChars = new();
    private readonly int _maxPasses;
    private readonly LearnedScorer? _model;
    private readonly double _modelThreshold;
    private readonly Rule _modelRule;
    private readonly HeaderFindingsCache _headerFindings = new();

    [ThreadStatic]
    private static FindingSet? t_scratch;

    public InspectionEngine(InspectionOptions options, LearnedScorer? model)
    {
        _maxPasses = Math.Max(1, options.MaxDecodePasses);
        _model = model;
        _modelThreshold = options.ModelThreshold ?? model?.Threshold ?? 1.0;
        _modelRule = options.ModelWeight == ModelRule.Weight ? ModelRule : ModelRule with { Weight = options.ModelWeight };
    }

    public LearnedScorer? Model => _model;

    /// <param name="oversizeBody">What a truncated body adds: <see cref="OversizeBodyActions.Flag"/> or <see cref="OversizeBodyActions.Block"/>.</param>
    public InspectionVerdict Inspect(in InspectionInput input, FindingSet findings, bool useModel, string oversizeBody = OversizeBodyActions.Flag)
    {
        var model = _model is not null && useModel ? ModelRequestScore.Start(_model) : null;
        var canonical = ScanRequest(input, findings, model);
        if (input.BodyTruncated)
        {
            findings.Current = new ValueLocation(LocationKind.BodyRaw, null);
            findings.Add(oversizeBody == OversizeBodyActions.Block ? ProtocolRules.BodyUninspectedBlock : ProtocolRules.BodyUninspected);
        }

        var ruleScore = findings.Score;
        // Null when the request had no values for the model to read: no opinion, not a low one.
        var probability = model?.Probability;
        if (probability >= _modelThreshold)
        {
            findings.Current = new ValueLocation(LocationKind.Path, null);
            findings.Add(_modelRule);
        }

        return new InspectionVerdict(findings.Score, ruleScore, probability, findings.RuleIds(), findings.CategoryNames(), input.BodyTruncated, canonical);
    }

    /// <summary>What the learned model reads of a request (its normalised values, see <see cref="ModelInput"/>), and the rules' score.</summary>
    public (List<string> Units, int RuleScore) ModelUnits(in InspectionInput input)
    {
        var units = new ModelUnitList();
        var scratch = new FindingSet();
        scratch.Reset(null);
        ScanRequest(input, scratch, units);
        return (units.Units, scratch.Score);
    }

    private string ScanRequest(in InspectionInput input, FindingSet findings, ModelSink? modelText)
    {
        t_sessionParameterSeen = false;
        ProtocolRules.CheckRequestLine(input, findings);
        ProtocolRules.CheckHeaders(input, findings);

        // Path: canonicalise for the catalog and traversal checks, scan the decoded form too.
        var pathFlags = DecodeFlags.None;
        var canonical = PathCanonicalizer.Canonicalize(input.RawPath, out var shape, ref pathFlags);
        findings.Current = new ValueLocation(LocationKind.Path, null);
        if ((shape & PathFlags.DotDotSegment) != 0)
        {
            findings.Add((shape & (PathFlags.EscapesRoot | PathFlags.Backslash | PathFlags.EncodedSlash)) != 0 ? PathTraversalDetector.DotDotRepeated : PathTraversalDetector.DotDot);
        }

        NormalizationRules.Report(pathFlags, findings);
        NormalizationRules.CheckPath(canonical, findings);
        var decodedPath = ValueNormalizer.Normalize(input.RawPath, ValueEncoding.Percent, ref pathFlags, _maxPasses);
        RunDetectors(decodedPath, findings);
        ScanPathSegments(input.RawPath, findings);

        if (!string.IsNullOrEmpty(input.RawQuery))
        {
            ScanPairs(input.RawQuery, LocationKind.QueryKey, LocationKind.QueryValue, findings, modelText);
        }

        var hasReferer = false;
        var sameSiteReferer = false;
        foreach (var (name, values) in input.Headers)
        {
            findings.Current = new ValueLocation(LocationKind.HeaderName, name);
            ProtocolRules.CheckHeaderName(name, findings);
            if (string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase))
            {
                ScanCookies(values, findings);
                continue;
            }

            if (string.Equals(name, "Referer", StringComparison.OrdinalIgnoreCase))
            {
                hasReferer = true;
                sameSiteReferer = IsSameSite(values, input.Headers.Host);
            }

            if (MultipartRules.IsFileNameHeader(name))
            {
                // Upload handlers that take the body raw read the file's name from a header such as X-File-Name.
                findings.Current = new ValueLocation(LocationKind.Header, name);
                foreach (var v in values)
                {
                    MultipartRules.CheckFileName(v ?? "", findings);
                }
            }

            if (SkipsValueScan(name))
            {
                continue;
            }

            // A standard header whose value fits its grammar carries nothing to scan (the protocol rules judged it above).
            if (values.Count == 1 && HeaderShapes.Fits(name, values[0] ?? ""))
            {
                continue;
            }

            foreach (var v in values)
            {
                if (string.IsNullOrEmpty(v))
                {
                    continue;
                }

                findings.Current = new ValueLocation(LocationKind.Header, name);
                ScanHeaderValue(name, v, findings);
                if (modelText is not null && !StandardHeaders.Contains(name))
                {
                    // An application's own header carries data like a parameter: the model reads it as a value.
                    var flags = DecodeFlags.None;
                    AppendModel(modelText, FreeTextKey, ValueNormalizer.Normalize(v, ValueEncoding.Percent, ref flags, _maxPasses));
                }
            }
        }

        if (!input.Body.IsEmpty)
        {
            ScanBody(input, findings, modelText);
        }

        if (t_sessionParameterSeen && (!hasReferer || !sameSiteReferer))
        {
            findings.Current = new ValueLocation(LocationKind.QueryKey, null);
            findings.Add(SessionFixationDetector.SessionParameter);
        }

        t_sessionParameterSeen = false;
        return canonical;
    }

    /// <summary>Headers of the protocol, browsers, proxies and tracing: their values are not data for the learned model.</summary>
    private static readonly System.Collections.Frozen.FrozenSet<string> StandardHeaders = System.Collections.Frozen.FrozenSet.ToFrozenSet(
    [
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Datetime", "Access-Control-Request-Method", "Access-Control-Request-Headers",
        "Authorization", "Cache-Control", "Connection", "Content-Encoding", "Content-Length", "Content-MD5", "Content-Type", "Content-Language", "Cookie", "Date", "DNT",
        "Expect", "Forwarded", "From", "Host", "If-Match", "If-Modified-Since", "If-None-Match", "If-Range", "If-Unmodified-Since", "Keep-Alive", "Max-Forwards",
        "Origin", "Pragma", "Prefer", "Priority", "Proxy-Authorization", "Range", "Referer", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Upgrade-Insecure-Requests",
        "User-Agent", "Via", "Warning", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Real-IP", "X-Request-Id", "X-Correlation-Id",
        "X-Requested-With", "X-Api-Key", "X-CSRF-Token", "X-XSRF-Token", "traceparent", "tracestate", "baggage", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site",
        "Sec-Fetch-User", "Sec-CH-UA", "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform", "Sec-GPC", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Protocol", "X-Content-Length", "Purpose", "Sec-Purpose", "Save-Data", "Device-Memory", "Downlink", "ECT", "RTT", "Viewport-Width", "Width",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers whose values only the protocol rules judge: numbers and the host, which Kestrel has already parsed.</summary>
    private static bool SkipsValueScan(string name) =>
        name.Length == 4 ? string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase)
        : string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase);

    private static bool IsSameSite(StringValues referers, StringValues host)
    {
        if (referers.Count != 1 || host.Count != 1 || string.IsNullOrEmpty(referers[0]) || string.IsNullOrEmpty(host[0]))
        {
            return false;
        }

        var r = referers[0].AsSpan();
        var scheme = r.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return false;
        }

        r = r[(scheme + 3)..];
        var end = r.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? r : r[..end];
        return authority.Equals(host[0], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Each decoded segment on its own, so a payload in one segment is judged without its
    /// neighbours (<c>/items/1' or '1'='1/reviews</c>). Plain segments (letters, digits, '-', '_',
    /// '.', '~') cannot carry anything the whole-path scan missed and are skipped.
    /// </summary>
    private void ScanPathSegments(string rawPath, FindingSet findings)
    {
        var span = rawPath.AsSpan();
        if (span.IndexOfAnyExcept(PlainPathChars) < 0)
        {
            return;
        }

        foreach (var range in span.Split('/'))
        {
            var segment = span[range];
            if (segment.IsEmpty || segment.IndexOfAnyExcept(PlainSegmentChars) < 0)
            {
                continue;
            }

            var flags = DecodeFlags.None;
            var decoded = ValueNormalizer.Normalize(segment.ToString(), ValueEncoding.Percent, ref flags, _maxPasses);
            findings.Current = new ValueLocation(LocationKind.PathSegment, null);
            RunDetectors(decoded, findings);
        }
    }

    private static readonly System.Buffers.SearchValues<char> PlainPathChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~/");

    private static readonly System.Buffers.SearchValues<char> PlainSegmentChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~");

    [ThreadStatic]
    private static bool t_sessionParameterSeen;

    /// <summary>
    /// A header value's rules come from the cache when the same value was seen before; added in
    /// the order the scan found them, at the same location, they make the same findings.
    /// </summary>
    private void ScanHeaderValue(string name, string value, FindingSet findings)
    {
        if (value.Length > HeaderFindingsCache.MaxValueLength)
        {
            ScanHeaderText(value, findings);
            return;
        }

        var rules = _headerFindings.Get(name, value);
        if (rules is null)
        {
            // Scanned into an empty set, so the rules already found in this request are recorded too.
            var scratch = t_scratch ??= new FindingSet();
            // Every level: the cached rules serve routes of any paranoia, each filters its own on Add.
            scratch.Reset(null, FindingSet.MaxParanoia);
            scratch.Current = findings.Current;
            ScanHeaderText(value, scratch);
            if (scratch.IsFull)
            {
                ScanHeaderText(value, findings);
                return;
            }

            rules = new Rule[scratch.Count];
            for (var i = 0; i < rules.Length; i++)
            {
                rules[i] = scratch[i];
            }

            _headerFindings.Set(name, value, rules);
        }

        foreach (var rule in rules)
        {
            findings.Add(rule);
        }
    }

    /// <summary>
    /// A header value, percent-decoded as applications that read it decode it (a CR/LF or a quote
    /// smuggled as %0d%0a or %27). Only the decodings no client needs are findings here: headers
    /// legitimately carry encoded URLs and tokens, so double encoding is not one.
    /// </summary>
    private void ScanHeaderText(string raw, FindingSet findings)
    {
        var flags = DecodeFlags.None;
        var value = raw.Contains('%', StringComparison.Ordinal) ? ValueNormalizer.Normalize(raw, ValueEncoding.Percent, ref flags, _maxPasses) : ValueNormalizer.Normalize(raw, ValueEncoding.Plain, ref flags, _maxPasses);
        NormalizationRules.Report(flags & (DecodeFlags.OverlongUtf8 | DecodeFlags.NullByte), findings);
        if (value.Length > 0)
        {
            RunDetectors(value, findings);
        }
    }

    private void ScanCookies(StringValues values, FindingSet findings)
    {
        foreach (var header in values)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }

            foreach (var range in header.AsSpan().Split(';'))
            {
                var pair = header.AsSpan()[range].Trim();
                var eq = pair.IndexOf('=');
                var rawName = eq < 0 ? "" : pair[..eq].Trim().ToString();
                var value = eq < 0 ? pair.ToString() : pair[(eq + 1)..].Trim().ToString();
                var name = rawName;
                if (rawName.Length > 0 && (rawName.AsSpan().IndexOfAnyExcept(PlainSegmentChars) >= 0 || rawName.Contains('.') || rawName.Length >= 24
                    || CommandInjectionDetector.IsProbeCommandName(rawName)))
                {
                    // A cookie name is an argument name too: scanned when it is more than a short plain token. A dot
                    // makes it a file name or a dotted path (".htaccess", "..0x5c..boot.ini"), length a blob (a hex
                    // serialized object), and a command that is no word a probe ("ipconfig"); "session", "theme" or
                    // "_ga" are none of these.
                    var flags = DecodeFlags.None;
                    name = ValueNormalizer.Normalize(rawName, ValueEncoding.Percent, ref flags, _maxPasses);
                    findings.Current = new ValueLocation(LocationKind.CookieName, name);
                    NormalizationRules.Report(flags, findings);
                    RunDetectors(name, findings);
                }

                if (value.Length == 0)
                {
                    continue;
                }

                findings.Current = new ValueLocation(LocationKind.Cookie, name);
                // Not for the model: cookies are session state, and as units they dilute what it reads of the parameters.
                ScanValue(value, ValueEncoding.Percent, findings);
            }
        }
    }

    /// <summary>
    /// key=value pairs separated by '&amp;'. A piece without '=' is glued back onto the previous
    /// value: "q=a&amp;&amp; id" is one value to a lenient server and to an attacker.
    /// </summary>
    private void ScanPairs(string raw, LocationKind keyKind, LocationKind valueKind, FindingSet findings, ModelSink? modelText)
    {
        var span = raw.AsSpan();
        string? pendingKey = null;
        // The pending value is one stretch of raw: glued pieces follow it, each after its '&'.
        int valueStart = 0, valueEnd = 0;
        foreach (var range in span.Split('&'))
        {
            // Every pair is scanned: the input is bounded by the request line and body limits, not by a count.
            var piece = span[range];
            var eq = piece.IndexOf('=');
            if (eq < 0 && pendingKey is not null)
            {
                valueEnd = range.End.Value;
                continue;
            }

            if (pendingKey is not null)
            {
                ScanPair(pendingKey, raw[valueStart..valueEnd], keyKind, valueKind, findings, modelText);
            }

            pendingKey = eq < 0 ? piece.ToString() : piece[..eq].ToString();
            valueStart = eq < 0 ? range.End.Value : range.Start.Value + eq + 1;
            valueEnd = range.End.Value;
        }

        if (pendingKey is not null)
        {
            ScanPair(pendingKey, raw[valueStart..valueEnd], keyKind, valueKind, findings, modelText);
        }
    }

    private void ScanPair(string rawKey, string rawValue, LocationKind keyKind, LocationKind valueKind, FindingSet findings, ModelSink? modelText)
    {
        var flags = DecodeFlags.None;
        var key = ValueNormalizer.Normalize(rawKey, ValueEncoding.Form, ref flags, _maxPasses);
        findings.Current = new ValueLocation(keyKind, key);
        NormalizationRules.Report(flags, findings);
        if (key.Length > 0)
        {
            RunDetectors(key, findings);
            if (SessionFixationDetector.IsSessionParameter(key))
            {
                t_sessionParameterSeen = true;
            }
        }

        findings.Current = new ValueLocation(valueKind, key);
        var value = ScanValue(rawValue, ValueEncoding.Form, findings);
        // Query and form names keep their digit values: CSIC's anomalies are unfamiliar names (idA=2), and
        // reading "?Inmaculada=1" as "q=1" cost the model 0.82 to 0.73 recall on them (issue 13 notes).
        AppendModel(modelText, key, value);
    }

    /// <summary>
    /// One unit for the model. A name that is not an identifier (a sentence, a payload put where a
    /// parameter name goes) is read as a value under the neutral name <c>q</c>, and so is its value:
    /// the model learned parameter names from one shop, and would judge any unfamiliar prose name
    /// odd, where as a value it judges the text itself.
    /// </summary>
    private static void AppendModel(ModelSink? model, string key, string value, bool digitFields = false)
    {
        if (model is null)
        {
            return;
        }

        if (key.Length <= 64 && key.AsSpan().IndexOfAnyExcept(IdentifierChars) < 0)
        {
            if (digitFields && value.Length <= 2 && value.AsSpan().IndexOfAnyExcept(Digits) < 0)
            {
                // A JSON or multipart field of one or two digits says nothing but its name, and the model
                // learned names from one shop's forms: it would judge whether the name is familiar. The
                // value still counts, under the neutral name.
                model.Add(FreeTextKey, value);
                return;
            }

            model.Add(key, value);
            return;
        }

        model.Add(FreeTextKey, key);
        model.Add(FreeTextKey, value);
    }

    private const string FreeTextKey = "q";

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    private static readonly System.Buffers.SearchValues<char> IdentifierChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]$@:");

    private string ScanValue(string raw, ValueEncoding encoding, FindingSet findings)
    {
        var flags = DecodeFlags.None;
        var value = ValueNormalizer.Normalize(raw, encoding, ref flags, _maxPasses);
        NormalizationRules.Report(flags, findings);
        if (value.Length > 0)
        {
            RunDetectors(value, findings);
        }

        return value;
    }

    private void RunDetectors(string value, FindingSet findings)
    {
        // One pass over the value tells every detector which characters are there to look for.
        var chars = ValueChars.Of(value);
        RunDetectors(value, chars, findings);
        if (chars.Has('\0'))
        {
            // A NUL inside a keyword ("un\0ion", "sel\0ect") hides it from every grammar; layers that drop
            // NULs (CRS's removeNulls reads them so) see the keyword. The value as it came was scanned
            // above, for the rules that need the NUL itself (an LDAP filter cut short by it).
            var stripped = value.Replace("\0", "", StringComparison.Ordinal);
            if (stripped.Length > 0)
            {
                RunDetectors(stripped, ValueChars.Of(stripped), findings);
            }
        }
    }

    private void RunDetectors(string value, in ValueChars chars, FindingSet findings)
    {
        _sqlInjection.Scan(value, chars, findings);
        _xss.Scan(value, chars, findings);
        _templateInjection.Scan(value, chars, findings);
        _pathTraversal.Scan(value, chars, findings);
        _commandInjection.Scan(value, chars, findings);
        _crlfInjection.Scan(value, chars, findings);
        _ssrf.Scan(value, chars, findings);
        _openRedirect.Scan(value, chars, findings);
        _noSqlInjection.Scan(value, chars, findings);
        _ldapInjection.Scan(value, chars, findings);
        _xxe.Scan(value, chars, findings);
        _phpInjection.Scan(value, chars, findings);
        _javaInjection.Scan(value, chars, findings);
        _genericInjection.Scan(value, chars, findings);
        _shellEvasion.Scan(value, chars, findings);
        _remoteFileInclusion.Scan(value, chars, findings);
        _sessionFixation.Scan(value, chars, findings);
        _restrictedChars.Scan(value, chars, findings);
    }

    private void ScanBody(in InspectionInput input, FindingSet findings, ModelSink? modelText)
    {
        var contentType = input.ContentType ?? "";
        var mediaType = contentType.AsSpan();
        var semi = mediaType.IndexOf(';');
        if (semi >= 0)
        {
            mediaType = mediaType[..semi];
        }

        mediaType = mediaType.Trim();
        byte[]? transcoded = null;
        try
        {
            var body = BodyText.ToUtf8(input.Body.Span, contentType, out transcoded);
            if (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || (mediaType.IsEmpty && body.TrimStart(" \t\r\n"u8).StartsWith("{"u8)))
            {
                // Only a declared JSON body that does not parse is a finding; an undeclared one was a guess.
                ScanJson(body, input.BodyTruncated, declared: !mediaType.IsEmpty, findings, modelText);
            }
            else if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                ScanPairs(Encoding.UTF8.GetString(body), LocationKind.BodyKey, LocationKind.BodyValue, findings, modelText);
            }
            else if (mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            {
                ScanMultipart(body, contentType, input.BodyTruncated, findings, modelText);
            }
            else if (mediaType.EndsWith("xml", StringComparison.OrdinalIgnoreCase))
            {
                ScanXml(Encoding.UTF8.GetString(body), findings, modelText);
            }
            else if (mediaType.IsEmpty || mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                var text = Encoding.UTF8.GetString(body);
                if (mediaType.IsEmpty && text.Contains('=', StringComparison.Ordinal) && !text.Contains(' ', StringComparison.Ordinal))
                {
                    ScanPairs(text, LocationKind.BodyKey, LocationKind.BodyValue, findings, modelText);
                }
                else
                {
                    findings.Current = new ValueLocation(LocationKind.BodyRaw, null);
                    var value = ScanValue(text, ValueEncoding.Plain, findings);
                    AppendModel(modelText, "body", value);
                }
            }
        }
        finally
        {
            if (transcoded is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(transcoded);
            }
        }
    }

    private void ScanJson(ReadOnlySpan<byte> body, bool truncated, bool declared, FindingSet findings, ModelSink? modelText)
    {
        // Several top-level values: JSON Lines (application/x-ndjson) bodies are JSON too.
        var reader = new Utf8JsonReader(body, isFinalBlock: !truncated, new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64, AllowMultipleValues = true,
        }));
        string? property = null;
        var recent = new RecentValues();
        var names = new RecentNames();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = names.Get(ref reader);
                        findings.Current = new ValueLocation(LocationKind.BodyKey, property);
                        if (!recent.TryGet(findings.Current, property, out _))
                        {
                            var keyFlags = DecodeFlags.None;
                            var key = ValueNormalizer.Normalize(property, ValueEncoding.Percent, ref keyFlags, _maxPasses);
                            NormalizationRules.Report(keyFlags, findings);
                            RunDetectors(key, findings);
                            recent.Add(findings.Current, property, key);
                        }

                        break;
                    case JsonTokenType.String:
                        findings.Current = new ValueLocation(LocationKind.BodyValue, property);
                        // A value repeated at the same location is found by its bytes, before it is decoded again.
                        if (reader.ValueIsEscaped || !recent.TryGet(findings.Current, reader.ValueSpan, out var value))
                        {
                            var raw = reader.GetString() ?? "";
                            if (!recent.TryGet(findings.Current, raw, out value))
                            {
                                value = ScanValue(raw, ValueEncoding.Percent, findings);
                                recent.Add(findings.Current, raw, value);
                            }
                        }

                        AppendModel(modelText, property ?? "", value, digitFields: true);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON (or a string that is not valid UTF-16, e.g. a lone surrogate escape): what
            // was read has been scanned; the rest is scanned as text, so a syntax error early in the
            // body hides nothing after it. A body a JSON parser refuses is itself a finding.
            var consumed = (int)Math.Min(reader.BytesConsumed, body.Length);
            if (consumed < body.Length)
            {
                findings.Current = new ValueLocation(LocationKind.BodyRaw, property);
                var rest = Encoding.UTF8.GetString(body[consumed..]);
                var value = ScanValue(rest, ValueEncoding.Percent, findings);
                AppendModel(modelText, property ?? "body", value);
            }

            if (!truncated && declared)
            {
                findings.Current = new ValueLocation(LocationKind.BodyRaw, null);
                findings.Add(ProtocolRules.BodyMismatch);
            }
        }
    }

    private void ScanMultipart(ReadOnlySpan<byte> body, string contentType, bool truncated, FindingSet findings, ModelSink? modelText)
    {
        findings.Current = new ValueLocation(LocationKind.BodyRaw, null);
        var b = contentType.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (b < 0)
        {
            findings.Add(MultipartRules.InvalidBoundary);
            return;
        }

        if (contentType.IndexOf("boundary=", b + 9, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            // Two boundaries: the application and the inspection could each pick a different one.
            findings.Add(MultipartRules.InvalidBoundary);
        }

        var boundary = contentType.AsSpan(b + 9).Trim();
        var end = boundary.IndexOf(';');
        if (end >= 0)
        {
            boundary = boundary[..end];
        }

        boundary = boundary.Trim();
        if (boundary.Length > 0 && (boundary[0] == '"') != (boundary[^1] == '"'))
        {
            findings.Add(MultipartRules.InvalidBoundary);
        }

        boundary = boundary.Trim('"');
        if (!MultipartRules.IsValidBoundary(boundary))
        {
            findings.Add(MultipartRules.InvalidBoundary);
            if (boundary.IsEmpty)
            {
                return;
            }
        }

        var formData = contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        var delimiter = Encoding.UTF8.GetBytes("--" + boundary.ToString());
        var rest = body;
        var parts = 0;
        var closed = false;
        // Every part is scanned: their number is bounded by the inspected body, not by a count.
        while (true)
        {
            var start = rest.IndexOf(delimiter);
            if (start < 0)
            {
                break;
            }

            rest = rest[(start + delimiter.Length)..];
            if (rest.StartsWith("--"u8))
            {
                closed = true;
                break;
            }

            parts++;
            var next = rest.IndexOf(delimiter);
            var part = next < 0 ? rest : rest[..next];
            var headerEnd = part.IndexOf("\r\n\r\n"u8);
            var separator = 4;
            if (headerEnd < 0)
            {
                headerEnd = part.IndexOf("\n\n"u8);
                separator = 2;
            }

            if (headerEnd < 0)
            {
                continue;
            }

            var headers = Encoding.UTF8.GetString(part[..headerEnd]);
            var content = part[(headerEnd + separator)..];
            if (content.EndsWith("\r\n"u8))
            {
                content = content[..^2];
            }
            else if (content.EndsWith("\n"u8))
            {
                content = content[..^1];
            }

            var disposition = PartDisposition.Find(headers);
            var name = disposition?.Name;
            ScanPartHeaders(headers, disposition, formData, findings);
            if (name is not null)
            {
                var flags = DecodeFlags.None;
                var normalizedName = ValueNormalizer.Normalize(name, ValueEncoding.Percent, ref flags, _maxPasses);
                findings.Current = new ValueLocation(LocationKind.BodyKey, name);
                NormalizationRules.Report(flags, findings);
                RunDetectors(normalizedName, findings);
            }

            // An application may read either file name (ASP.NET Core prefers filename*): both are scanned.
            ScanFileName(disposition?.FileName, name, findings);
            ScanFileName(disposition?.FileNameStar, name, findings);
            var fileName = disposition?.FileName ?? disposition?.FileNameStar;

            var isText = !headers.Contains("Content-Type:", StringComparison.OrdinalIgnoreCase)
                || headers.Contains("text/", StringComparison.OrdinalIgnoreCase) || headers.Contains("json", StringComparison.OrdinalIgnoreCase)
                || headers.Contains("xml", StringComparison.OrdinalIgnoreCase);
            if (isText && fileName is null)
            {
                findings.Current = new ValueLocation(LocationKind.BodyValue, name);
                var text = Encoding.UTF8.GetString(content);
                if (string.Equals(name, "_charset_", StringComparison.OrdinalIgnoreCase))
                {
                    MultipartRules.CheckCharsetField(text, findings);
                }

                var value = ScanValue(text, ValueEncoding.Plain, findings);
                AppendModel(modelText, name ?? "", value, digitFields: true);
            }
            else if (isText)
            {
                // An uploaded document, read as a body is: its XML declaration is no parameter's.
                findings.Current = new ValueLocation(LocationKind.BodyRaw, name);
                var text = Encoding.UTF8.GetString(content);
                _xxe.Scan(text, ValueChars.Of(text), findings);
            }
        }

        if (!truncated && (parts == 0 || !closed))
        {
            findings.Current = new ValueLocation(LocationKind.BodyRaw, null);
            findings.Add(parts == 0 ? MultipartRules.InvalidBoundary : MultipartRules.Unterminated);
        }
    }

    private void ScanFileName(string? fileName, string? partName, FindingSet findings)
    {
        if (fileName is not null)
        {
            findings.Current = new ValueLocation(LocationKind.BodyFile, partName);
            var normalized = ScanValue(fileName, ValueEncoding.Percent, findings);
            MultipartRules.CheckFileName(normalized, findings);
        }
    }

    /// <summary>
    /// A part's header lines: each value through the detectors, and the multipart rules on their names.
    /// The first <c>Content-Disposition</c> is scanned without the values of its name and file names,
    /// which are scanned in their own places.
    /// </summary>
    private void ScanPartHeaders(string headers, PartDisposition? disposition, bool formData, FindingSet findings)
    {
        var partName = disposition?.Name;
        var dispositions = 0;
        foreach (var range in headers.AsSpan().Split('\n'))
        {
            var line = headers.AsSpan()[range].TrimEnd('\r');
            if (line.IsEmpty)
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var headerName = colon < 0 ? line : line[..colon].Trim();
            findings.Current = new ValueLocation(LocationKind.BodyPartHeader, partName);
            var value = colon < 0 ? [] : line[(colon + 1)..].Trim();
            MultipartRules.CheckPartHeader(headerName, value, findings);
            if (headerName.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase) && ++dispositions == 1 && disposition is { } first)
            {
                value = first.Rest;
            }

            if (colon >= 0)
            {
                if (!value.IsEmpty && value.IndexOfAnyExcept(PlainPartHeaderChars) >= 0)
                {
                    ScanValue(value.ToString(), ValueEncoding.Plain, findings);
                }
            }
        }

        // multipart/related and /mixed parts need no Content-Disposition; form-data parts need exactly one,
        // whose parameters parse.
        if ((formData ? dispositions != 1 : dispositions > 1) || disposition is { Malformed: true })
        {
            findings.Current = new ValueLocation(LocationKind.BodyPartHeader, partName);
            findings.Add(MultipartRules.BadPartHeaders);
        }
    }

    private static readonly System.Buffers.SearchValues<char> PlainPartHeaderChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.;=\" /+");

    /// <summary>XML: the document itself for XXE, then text, CDATA and attribute values (entity-decoded) for everything else.</summary>
    private void ScanXml(string xml, FindingSet findings, ModelSink? modelText)
    {
        findings.Current = new ValueLocation(LocationKind.BodyRaw, null);
        _xxe.Scan(xml, ValueChars.Of(xml), findings);
        var span = xml.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            var lt = span[i..].IndexOf('<');
            var text = lt < 0 ? span[i..] : span[i..(i + lt)];
            if (!text.IsWhiteSpace())
            {
                var value = HtmlEntityDecoder.Decode(text.Trim().ToString());
                findings.Current = new ValueLocation(LocationKind.BodyValue, null);
                value = ScanValue(value, ValueEncoding.Percent, findings);
                AppendModel(modelText, "xml", value);
            }

            if (lt < 0)
            {
                break;
            }

            var gt = span[(i + lt)..].IndexOf('>');
            if (gt < 0)
            {
                break;
            }

            var tag = span[(i + lt)..(i + lt + gt)];
            if (tag.StartsWith("<![CDATA[", StringComparison.Ordinal))
            {
                var cdataEnd = span[(i + lt)..].IndexOf("]]>", StringComparison.Ordinal);
                if (cdataEnd > 0)
                {
                    findings.Current = new ValueLocation(LocationKind.BodyValue, null);
                    ScanValue(span[(i + lt + 9)..(i + lt + cdataEnd)].ToString(), ValueEncoding.Percent, findings);
                    i = i + lt + cdataEnd + 3;
                    continue;
                }
            }

            ScanAttributes(tag, findings);
            i = i + lt + gt + 1;
        }
    }

    private void ScanAttributes(ReadOnlySpan<char> tag, FindingSet findings)
    {
        for (var q = tag.IndexOfAny('"', '\''); q >= 0 && q + 1 < tag.Length;)
        {
            var quote = tag[q];
            var close = tag[(q + 1)..].IndexOf(quote);
            if (close < 0)
            {
                break;
            }

            // The attribute's name, as exclusions and reports name it: the word before '='.
            var eq = tag[..q].TrimEnd().TrimEnd('=').TrimEnd();
            var nameStart = eq.LastIndexOfAny(' ', '\t', '\n') + 1;
            var attribute = eq[nameStart..].ToString();
            var value = HtmlEntityDecoder.Decode(tag.Slice(q + 1, close).ToString());
            findings.Current = new ValueLocation(LocationKind.BodyValue, attribute);
            ScanValue(value, ValueEncoding.Percent, findings);
            var next = tag[(q + close + 2)..].IndexOfAny('"', '\'');
            q = next < 0 ? -1 : q + close + 2 + next;
        }
    }
}
