using System.Text;
using System.Text.Json;
using Analytics.Sidecar.Inspection.Detectors;
using Analytics.Sidecar.Inspection.Model;
using Analytics.Sidecar.Inspection.Normalization;
using Microsoft.Extensions.Primitives;

namespace Analytics.Sidecar.Inspection;

/// <summary>
/// Runs normalisation once per value and every detector over it, location by location, each
/// in its own grammar (query pairs, cookies, JSON strings, form and multipart fields, XML
/// text), then adds the learned model's opinion. Shared by the middleware and the
/// <c>inspect</c> command, so offline figures are the production behaviour.
/// </summary>
internal sealed class InspectionEngine
{
    public static readonly Rule ModelRule = new("model-text-classifier", Categories.Model, 5, "the learned classifier's probability is over its threshold");

    private readonly IDetector[] _detectors;
    private readonly string[] _headers;
    private readonly int _maxPasses;
    private readonly LearnedScorer? _model;
    private readonly double _modelThreshold;
    private readonly Rule _modelRule;
    private readonly HeaderFindingsCache _headerFindings = new();

    [ThreadStatic]
    private static FindingSet? t_scratch;

    public InspectionEngine(InspectionOptions options, LearnedScorer? model)
    {
        _detectors =
        [
            new SqlInjectionDetector(), new XssDetector(), new TemplateInjectionDetector(), new PathTraversalDetector(),
            new CommandInjectionDetector(), new CrlfInjectionDetector(), new SsrfDetector(), new NoSqlInjectionDetector(),
            new LdapInjectionDetector(), new XxeDetector(),
        ];
        _headers = [.. InspectionOptions.DefaultHeaders, .. options.CustomHeaders];
        _maxPasses = Math.Max(1, options.MaxDecodePasses);
        _model = model;
        _modelThreshold = options.ModelThreshold ?? model?.Threshold ?? 1.0;
        _modelRule = options.ModelWeight == ModelRule.Weight ? ModelRule : ModelRule with { Weight = options.ModelWeight };
    }

    public LearnedScorer? Model => _model;

    public InspectionVerdict Inspect(in InspectionInput input, FindingSet findings, bool useModel)
    {
        var model = _model is not null && useModel ? ModelRequestScore.Start(_model) : null;
        var canonical = ScanRequest(input, findings, model);
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

        if (!string.IsNullOrEmpty(input.RawQuery))
        {
            ScanPairs(input.RawQuery, LocationKind.QueryKey, LocationKind.QueryValue, findings, modelText);
        }

        foreach (var name in _headers)
        {
            if (!input.Headers.TryGetValue(name, out var values))
            {
                continue;
            }

            if (string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase))
            {
                ScanCookies(values, findings);
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
            }
        }

        if (!input.Body.IsEmpty)
        {
            ScanBody(input, findings, modelText);
        }

        return canonical;
    }

    /// <summary>
    /// A header value's rules come from the cache when the same value was seen before; added in
    /// the order the scan found them, at the same location, they make the same findings.
    /// </summary>
    private void ScanHeaderValue(string name, string value, FindingSet findings)
    {
        if (value.Length > HeaderFindingsCache.MaxValueLength)
        {
            ScanValue(value, ValueEncoding.Plain, findings);
            return;
        }

        var rules = _headerFindings.Get(name, value);
        if (rules is null)
        {
            // Scanned into an empty set, so the rules already found in this request are recorded too.
            var scratch = t_scratch ??= new FindingSet();
            scratch.Reset(null);
            scratch.Current = findings.Current;
            ScanValue(value, ValueEncoding.Plain, scratch);
            if (scratch.IsFull)
            {
                ScanValue(value, ValueEncoding.Plain, findings);
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
                var name = eq < 0 ? "" : pair[..eq].Trim().ToString();
                var value = eq < 0 ? pair.ToString() : pair[(eq + 1)..].Trim().ToString();
                if (value.Length == 0)
                {
                    continue;
                }

                findings.Current = new ValueLocation(LocationKind.Cookie, name);
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
        var pieces = 0;
        string? pendingKey = null;
        // The pending value is one stretch of raw: glued pieces follow it, each after its '&'.
        int valueStart = 0, valueEnd = 0;
        foreach (var range in span.Split('&'))
        {
            var piece = span[range];
            if (++pieces > 256)
            {
                break;
            }

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
        }

        findings.Current = new ValueLocation(valueKind, key);
        var value = ScanValue(rawValue, ValueEncoding.Form, findings);
        AppendModel(modelText, key, value);
    }

    private static void AppendModel(ModelSink? model, string key, string value) => model?.Add(key, value);

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
        foreach (var d in _detectors)
        {
            d.Scan(value, chars, findings);
        }
    }

    private void ScanBody(in InspectionInput input, FindingSet findings, ModelSink? modelText)
    {
        var body = input.Body.Span;
        var contentType = input.ContentType ?? "";
        var mediaType = contentType.AsSpan();
        var semi = mediaType.IndexOf(';');
        if (semi >= 0)
        {
            mediaType = mediaType[..semi];
        }

        mediaType = mediaType.Trim();
        if (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || (mediaType.IsEmpty && body.TrimStart(" \t\r\n"u8).StartsWith("{"u8)))
        {
            ScanJson(body, input.BodyTruncated, findings, modelText);
        }
        else if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            ScanPairs(Encoding.UTF8.GetString(body), LocationKind.BodyKey, LocationKind.BodyValue, findings, modelText);
        }
        else if (mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            ScanMultipart(body, contentType, findings, modelText);
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

    private void ScanJson(ReadOnlySpan<byte> body, bool truncated, FindingSet findings, ModelSink? modelText)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: !truncated, new JsonReaderState(new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 }));
        string? property = null;
        var recent = new RecentValues();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString() ?? "";
                        findings.Current = new ValueLocation(LocationKind.BodyKey, property);
                        if (!recent.TryGet(findings.Current, property, out _))
                        {
                            var keyFlags = DecodeFlags.None;
                            var key = ValueNormalizer.Normalize(property, ValueEncoding.Plain, ref keyFlags, _maxPasses);
                            NormalizationRules.Report(keyFlags, findings);
                            RunDetectors(key, findings);
                            recent.Add(findings.Current, property, key);
                        }

                        break;
                    case JsonTokenType.String:
                        var raw = reader.GetString() ?? "";
                        findings.Current = new ValueLocation(LocationKind.BodyValue, property);
                        if (!recent.TryGet(findings.Current, raw, out var value))
                        {
                            value = ScanValue(raw, ValueEncoding.Percent, findings);
                            recent.Add(findings.Current, raw, value);
                        }

                        AppendModel(modelText, property ?? "", value);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: what was read so far has been scanned; schema validation reports the syntax error.
        }
    }

    private void ScanMultipart(ReadOnlySpan<byte> body, string contentType, FindingSet findings, ModelSink? modelText)
    {
        var b = contentType.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (b < 0)
        {
            return;
        }

        var boundary = contentType.AsSpan(b + 9).Trim().Trim('"');
        var end = boundary.IndexOf(';');
        if (end >= 0)
        {
            boundary = boundary[..end];
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary.ToString());
        var rest = body;
        var parts = 0;
        while (parts++ < 128)
        {
            var start = rest.IndexOf(delimiter);
            if (start < 0)
            {
                break;
            }

            rest = rest[(start + delimiter.Length)..];
            if (rest.StartsWith("--"u8))
            {
                break;
            }

            var next = rest.IndexOf(delimiter);
            var part = next < 0 ? rest : rest[..next];
            var headerEnd = part.IndexOf("\r\n\r\n"u8);
            if (headerEnd < 0)
            {
                continue;
            }

            var headers = Encoding.UTF8.GetString(part[..headerEnd]);
            var content = part[(headerEnd + 4)..];
            if (content.EndsWith("\r\n"u8))
            {
                content = content[..^2];
            }

            var name = HeaderParameter(headers, "name");
            var fileName = HeaderParameter(headers, "filename");
            if (fileName is not null)
            {
                findings.Current = new ValueLocation(LocationKind.BodyFile, name);
                ScanValue(fileName, ValueEncoding.Percent, findings);
            }

            var isText = !headers.Contains("Content-Type:", StringComparison.OrdinalIgnoreCase)
                || headers.Contains("text/", StringComparison.OrdinalIgnoreCase) || headers.Contains("json", StringComparison.OrdinalIgnoreCase)
                || headers.Contains("xml", StringComparison.OrdinalIgnoreCase);
            if (isText && fileName is null)
            {
                findings.Current = new ValueLocation(LocationKind.BodyValue, name);
                var value = ScanValue(Encoding.UTF8.GetString(content), ValueEncoding.Plain, findings);
                AppendModel(modelText, name ?? "", value);
            }
            else if (isText)
            {
                findings.Current = new ValueLocation(LocationKind.BodyFile, name);
                var text = Encoding.UTF8.GetString(content);
                new XxeDetector().Scan(text, ValueChars.Of(text), findings);
            }
        }
    }

    private static string? HeaderParameter(string headers, string parameter)
    {
        var search = headers.AsSpan();
        while (true)
        {
            var at = search.IndexOf(parameter + "=", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return null;
            }

            // "filename=" also contains "name="; require a separator before the parameter.
            if (at > 0 && char.IsAsciiLetter(search[at - 1]))
            {
                search = search[(at + parameter.Length)..];
                continue;
            }

            var v = search[(at + parameter.Length + 1)..];
            if (v.Length > 0 && v[0] == '"')
            {
                v = v[1..];
                var q = v.IndexOf('"');
                return (q < 0 ? v : v[..q]).ToString();
            }

            var stop = v.IndexOfAny(";\r\n");
            return (stop < 0 ? v : v[..stop]).Trim().ToString();
        }
    }

    /// <summary>XML: the document itself for XXE, then text and attribute values (entity-decoded) for everything else.</summary>
    private void ScanXml(string xml, FindingSet findings, ModelSink? modelText)
    {
        findings.Current = new ValueLocation(LocationKind.BodyRaw, null);
        new XxeDetector().Scan(xml, ValueChars.Of(xml), findings);
        var span = xml.AsSpan();
        var i = 0;
        var values = 0;
        while (i < span.Length && values < 512)
        {
            var lt = span[i..].IndexOf('<');
            var text = lt < 0 ? span[i..] : span[i..(i + lt)];
            if (!text.IsWhiteSpace())
            {
                var value = HtmlEntityDecoder.Decode(text.Trim().ToString());
                findings.Current = new ValueLocation(LocationKind.BodyValue, null);
                ScanValue(value, ValueEncoding.Plain, findings);
                AppendModel(modelText, "xml", value);
                values++;
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
                    ScanValue(span[(i + lt + 9)..(i + lt + cdataEnd)].ToString(), ValueEncoding.Plain, findings);
                    i = i + lt + cdataEnd + 3;
                    values++;
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

            var value = HtmlEntityDecoder.Decode(tag.Slice(q + 1, close).ToString());
            findings.Current = new ValueLocation(LocationKind.BodyValue, null);
            ScanValue(value, ValueEncoding.Plain, findings);
            var next = tag[(q + close + 2)..].IndexOfAny('"', '\'');
            q = next < 0 ? -1 : q + close + 2 + next;
        }
    }
}
