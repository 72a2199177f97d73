using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Messaging;

namespace Analytics.Detection.Ingest;

/// <summary>
/// Reads request events from a file whose format is recognised from its content: RequestEvent
/// JSON lines, access-log JSON lines, or the combined log format. Unparsable lines are counted
/// and skipped, never fatal.
/// </summary>
internal sealed partial class EventFileReader
{
    private static readonly string[] TimeFormats = ["dd/MMM/yyyy:HH:mm:ss zzz", "dd/MMM/yyyy:HH:mm:ss zzzz"];
    private long _lineNumber;

    public long Skipped { get; private set; }

    public InputFormat? Format { get; private set; }

    public static InputFormat Detect(string firstLine)
    {
        var line = firstLine.TrimStart();
        if (!line.StartsWith('{'))
        {
            return InputFormat.Combined;
        }

        return line.Contains("\"client_ip\"", StringComparison.Ordinal) ? InputFormat.RequestEvents : InputFormat.AccessLogJson;
    }

    /// <summary>
    /// Reads a file. RequestEvent lines are parsed from their UTF-8 bytes (no string per line);
    /// the access-log formats are decoded line by line as before.
    /// </summary>
    public IEnumerable<InputEvent> Read(string path)
    {
        using var lines = new Utf8LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan));
        while (lines.TryReadLine(out var memory))
        {
            _lineNumber++;
            var line = memory.Span;
            if (line.IsEmpty || line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            if (Format is null)
            {
                Format = Detect(Encoding.UTF8.GetString(line));
            }

            var parsed = Format switch
            {
                InputFormat.RequestEvents => ParseEvent(line),
                InputFormat.AccessLogJson => ParseAccessJson(Encoding.UTF8.GetString(line)),
                _ => ParseCombined(Encoding.UTF8.GetString(line)),
            };
            if (parsed is { } e)
            {
                yield return e;
            }
            else
            {
                Skipped++;
            }
        }
    }

    public IEnumerable<InputEvent> Read(TextReader reader)
    {
        using (reader)
        {
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                _lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                Format ??= Detect(line);
                var parsed = Format switch
                {
                    InputFormat.RequestEvents => ParseEvent(Encoding.UTF8.GetBytes(line)),
                    InputFormat.AccessLogJson => ParseAccessJson(line),
                    _ => ParseCombined(line),
                };
                if (parsed is { } e)
                {
                    yield return e;
                }
                else
                {
                    Skipped++;
                }
            }
        }
    }

    private static InputEvent? ParseEvent(ReadOnlySpan<byte> line)
    {
        if (RequestEventReader.TryRead(line, out var fast, out var fastLabel, out var fastClass, out var fastActor))
        {
            return new InputEvent(fast!, fastLabel, fastClass, fastActor);
        }

        try
        {
            var e = JsonSerializer.Deserialize(line, MessagesJsonContext.Default.RequestEvent);
            if (e is null)
            {
                return null;
            }

            string? label = null, attackClass = null, actor = null;
            if (line.IndexOf("\"label\""u8) >= 0)
            {
                // Labels are flat strings the generator appends; reading them without a second parse
                // halves the cost of a labelled line. Anything unusual (escapes) takes the full parse.
                if (!(TryFlatString(line, "\"label\":"u8, out label) && TryFlatString(line, "\"attack_class\":"u8, out attackClass) && TryFlatString(line, "\"actor\":"u8, out actor)))
                {
                    var reader = new Utf8JsonReader(line);
                    using var doc = JsonDocument.ParseValue(ref reader);
                    label = Str(doc.RootElement, "label");
                    attackClass = Str(doc.RootElement, "attack_class");
                    actor = Str(doc.RootElement, "actor");
                }
            }

            return new InputEvent(e, label, attackClass, actor);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a top-level string-or-null property by its raw <c>"name":</c> marker (inside a JSON
    /// string every quote is escaped, so the marker only matches a real property name). False when
    /// the value is neither a plain string nor null, so the caller parses the line properly.
    /// </summary>
    private static bool TryFlatString(ReadOnlySpan<byte> line, ReadOnlySpan<byte> marker, out string? value)
    {
        value = null;
        var at = line.LastIndexOf(marker);
        if (at < 0)
        {
            return true;
        }

        var rest = line[(at + marker.Length)..].TrimStart((byte)' ');
        if (rest.StartsWith("null"u8))
        {
            return true;
        }

        if (rest.Length < 2 || rest[0] != (byte)'"')
        {
            return false;
        }

        var end = rest[1..].IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || rest[1 + end] != (byte)'"')
        {
            return false;
        }

        value = Encoding.UTF8.GetString(rest.Slice(1, end));
        return true;
    }

    private static InputEvent? ParseAccessJson(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
            {
                return null; // valid JSON of another shape is an unparsable line too (found by fuzzing)
            }

            var ip = Str(r, "remote_addr") ?? Str(r, "client") ?? Str(r, "client_ip") ?? Str(r, "ip");
            if (ip is null)
            {
                return null;
            }

            string? method = Str(r, "request_method") ?? Str(r, "method");
            string? uri = Str(r, "request_uri") ?? Str(r, "uri") ?? Str(r, "path");
            if ((method is null || uri is null) && Str(r, "request") is { } request)
            {
                var parts = request.Split(' ');
                method ??= parts[0];
                uri ??= parts.Length > 1 ? parts[1] : "/";
            }

            var ts = Str(r, "time_iso8601") ?? Str(r, "@timestamp") ?? Str(r, "timestamp") ?? Str(r, "time");
            DateTimeOffset time;
            if (ts is null || !(DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time)
                || DateTimeOffset.TryParseExact(ts, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time)))
            {
                if (Str(r, "time_local") is { } local && DateTimeOffset.TryParseExact(local, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
                {
                }
                else
                {
                    return null;
                }
            }

            var status = (int)Num(r, "status");
            var seconds = Num(r, "request_time");
            var e = AccessEvent(time, ip, method ?? "GET", uri ?? "/", status, (long)Num(r, "request_length"), (long)(Num(r, "body_bytes_sent") + Num(r, "bytes_sent")),
                seconds * 1000, Str(r, "http_user_agent") ?? Str(r, "user_agent"));
            return new InputEvent(e, Str(r, "label"), Str(r, "attack_class"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private InputEvent? ParseCombined(string line)
    {
        var m = CombinedLine().Match(line);
        if (!m.Success || !DateTimeOffset.TryParseExact(m.Groups["time"].Value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        var request = m.Groups["request"].Value.Split(' ');
        var bytes = long.TryParse(m.Groups["bytes"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : 0;
        var seconds = double.TryParse(m.Groups["rt"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var e = AccessEvent(time, m.Groups["ip"].Value, request[0], request.Length > 1 ? request[1] : "/", int.Parse(m.Groups["status"].Value, CultureInfo.InvariantCulture),
            0, bytes, seconds * 1000, m.Groups["ua"].Success ? m.Groups["ua"].Value : null) with { RequestId = $"line-{_lineNumber}" };
        return new InputEvent(e, null, null);
    }

    private static RequestEvent AccessEvent(DateTimeOffset time, string ip, string method, string uri, int status, long bytesIn, long bytesOut, double ms, string? agent)
    {
        var q = uri.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? uri : uri[..q];
        return new RequestEvent
        {
            Timestamp = time,
            ClientIp = ip,
            Method = method,
            Path = path.Length > 512 ? path[..512] : path,
            Status = status,
            BytesIn = bytesIn,
            BytesOut = bytesOut,
            DurationMs = ms,
            UserAgent = agent is "-" ? null : agent,
            Instance = "access-log",
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static double Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => 0,
        } : 0;

    // ip ident user [time] "request" status bytes ["referer" "agent"] [request_time]
    [GeneratedRegex("""^(?<ip>\S+) \S+ \S+ \[(?<time>[^\]]+)\] "(?<request>[^"]*)" (?<status>\d{3}) (?<bytes>\d+|-)(?: "(?<ref>[^"]*)" "(?<ua>[^"]*)")?(?: (?<rt>[\d.]+))?""", RegexOptions.NonBacktracking)]
    private static partial Regex CombinedLine();
}
