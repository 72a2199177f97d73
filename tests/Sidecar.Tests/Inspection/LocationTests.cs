using System.Text;
using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>Every place a payload can hide, the review's evasions, paranoia levels, the oversize action and exclusions in the new places.</summary>
public sealed class LocationTests
{
    private const string Sqli = "1' UNION SELECT password FROM users--";

    private static InspectionVerdict Get(HeaderDictionary headers, string path = "/api/items", string? query = null, int paranoia = 1, string? target = null) =>
        Run(new InspectionInput("GET", path, query, headers, ReadOnlyMemory<byte>.Empty, null, false, "HTTP/1.1", target ?? path + (query is null ? "" : "?" + query)), paranoia);

    private static InspectionVerdict Post(byte[] body, string contentType, bool truncated = false, string oversize = OversizeBodyActions.Flag) =>
        Run(new InspectionInput("POST", "/api/items", null, BrowserHeaders(), body, contentType, truncated, "HTTP/1.1", "/api/items"), 1, oversize);

    private static InspectionVerdict Run(InspectionInput input, int paranoia, string oversize = OversizeBodyActions.Flag, InspectionExclusions? exclusions = null)
    {
        var engine = new InspectionEngine(new InspectionOptions { ModelPath = null }, model: null);
        var findings = new FindingSet();
        findings.Reset(exclusions, paranoia);
        return engine.Inspect(input, findings, useModel: false, oversize);
    }

    private static HeaderDictionary BrowserHeaders() => new()
    {
        ["Host"] = "shop.example.com",
        ["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        ["Accept-Language"] = "en-US,en;q=0.9,de;q=0.8",
        ["Accept-Encoding"] = "gzip, deflate, br, zstd",
        ["Accept-Charset"] = "ISO-8859-1,utf-8;q=0.7,*;q=0.7",
        ["Referer"] = "https://shop.example.com/catalog?page=2&q=O%27Brien",
        ["Origin"] = "https://shop.example.com",
        ["Cookie"] = "session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl; theme=dark",
        ["Sec-CH-UA"] = "\"Not_A Brand\";v=\"8\", \"Chromium\";v=\"120\", \"Google Chrome\";v=\"120\"",
        ["Sec-CH-UA-Mobile"] = "?0",
        ["Sec-Fetch-Site"] = "same-origin",
        ["If-None-Match"] = "W/\"5e15153d-120f\"",
        ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        ["X-Forwarded-For"] = "203.0.113.7, 10.0.0.1",
        ["Authorization"] = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6Im9yZGVycyJ9.c2lnbmF0dXJl",
        ["Cache-Control"] = "max-age=0",
        ["X-Requested-With"] = "XMLHttpRequest",
    };

    [Fact]
    public void Browser_and_api_client_headers_get_no_finding()
    {
        var verdict = Get(BrowserHeaders(), query: "page=2&sort=-created");
        Assert.Empty(verdict.Rules);
        var curl = Get(new HeaderDictionary { ["Host"] = "api.example.com", ["User-Agent"] = "curl/8.4.0", ["Accept"] = "*/*" });
        Assert.Empty(curl.Rules);
    }

    [Theory]
    [InlineData("X-Tenant-Filter")]
    [InlineData("Accept-Language")]
    [InlineData("X-Forwarded-For")]
    [InlineData("If-None-Match")]
    public void Payload_in_any_header_value_is_detected(string header)
    {
        var headers = BrowserHeaders();
        headers[header] = Sqli;
        Assert.True(Get(headers).Blocks(), header);
    }

    [Fact]
    public void Percent_encoded_payload_in_a_header_is_decoded()
    {
        var headers = BrowserHeaders();
        headers["X-Note"] = "x%0d%0aSet-Cookie:%20admin=1";
        Assert.True(Get(headers).Blocks());
    }

    [Fact]
    public void Traversal_in_accept_language_is_detected_although_the_header_has_a_grammar()
    {
        var headers = BrowserHeaders();
        headers["Accept-Language"] = "../../../../etc/passwd";
        Assert.True(Get(headers).Blocks());
    }

    [Fact]
    public void Cookie_names_and_values_are_scanned()
    {
        var value = BrowserHeaders();
        value["Cookie"] = "theme=dark; pref=" + Uri.EscapeDataString(Sqli);
        Assert.True(Get(value).Blocks());
        var name = BrowserHeaders();
        name["Cookie"] = "theme=dark; " + Uri.EscapeDataString("<script>alert(1)</script>") + "=1";
        Assert.True(Get(name).Blocks());
    }

    [Fact]
    public void Argument_names_and_path_segments_are_scanned()
    {
        Assert.True(Get(BrowserHeaders(), query: "page=1&" + Uri.EscapeDataString(Sqli) + "=1").Blocks());
        Assert.True(Get(BrowserHeaders(), path: "/api/items/" + Uri.EscapeDataString("${jndi:ldap://x.example/a}") + "/reviews").Blocks());
    }

    [Fact]
    public void Query_pairs_past_the_256th_are_scanned()
    {
        var query = string.Join('&', Enumerable.Range(0, 300).Select(i => $"f{i}=v{i}")) + "&q=" + Uri.EscapeDataString(Sqli);
        Assert.True(Get(BrowserHeaders(), query: query).Blocks());
    }

    [Fact]
    public void Json_keys_at_any_depth_are_scanned()
    {
        var json = "{\"a\":{\"b\":[{\"c\":{" + System.Text.Json.JsonSerializer.Serialize(Sqli) + ":1}}]}}";
        Assert.True(Post(Encoding.UTF8.GetBytes(json), "application/json").Blocks());
    }

    [Fact]
    public void Json_body_with_a_utf8_byte_order_mark_is_scanned()
    {
        var json = Encoding.UTF8.GetBytes("{\"q\":\"" + Sqli + "\"}");
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(json).ToArray();
        var plain = Post(json, "application/json");
        var bom = Post(withBom, "application/json");
        Assert.True(bom.Blocks());
        Assert.Equal(plain.Score, bom.Score);
    }

    [Theory]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json")]
    public void Utf16_json_body_is_transcoded_and_scanned(string contentType)
    {
        var body = Encoding.Unicode.GetBytes("{\"q\":\"" + Sqli + "\"}");
        Assert.True(Post(body, contentType).Blocks(), contentType);
        var bigEndian = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes("{\"q\":\"" + Sqli + "\"}")).ToArray();
        Assert.True(Post(bigEndian, "application/json").Blocks());
    }

    [Fact]
    public void Malformed_json_is_a_finding_and_what_follows_the_error_is_scanned()
    {
        var verdict = Post(Encoding.UTF8.GetBytes("{\"a\":1,,, \"q\":\"" + Sqli + "\"}"), "application/json");
        Assert.Contains("protocol-body-malformed", verdict.Rules);
        Assert.Contains(verdict.Categories, c => c == "sqli");
    }

    [Fact]
    public void Json_lines_bodies_parse_and_each_line_is_scanned()
    {
        var benign = Post(Encoding.UTF8.GetBytes("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n"), "application/x-ndjson");
        Assert.Empty(benign.Rules);
        var attack = Post(Encoding.UTF8.GetBytes("{\"id\":1}\n{\"q\":\"" + Sqli + "\"}\n"), "application/x-ndjson");
        Assert.True(attack.Blocks());
    }

    [Fact]
    public void Lone_surrogate_escape_in_json_is_a_finding_not_an_exception()
    {
        var verdict = Post(Encoding.UTF8.GetBytes("{\"username\":\"\\ud800\"}"), "application/json");
        Assert.Contains("protocol-body-malformed", verdict.Rules);
    }

    [Fact]
    public void Xml_attributes_and_text_are_scanned_percent_decoded()
    {
        var attribute = "<?xml version=\"1.0\"?><order><line note=\"" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E" + "\"/></order>";
        Assert.True(Post(Encoding.UTF8.GetBytes(attribute), "application/xml").Blocks());
        var text = "<order><note>1&apos; OR 1=1--</note></order>";
        Assert.True(Post(Encoding.UTF8.GetBytes(text), "application/xml").Blocks());
    }

    private static byte[] Multipart(params string[] parts)
    {
        var sb = new StringBuilder();
        foreach (var p in parts)
        {
            sb.Append("--XyZ\r\n").Append(p).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(sb.Append("--XyZ--\r\n").ToString());
    }

    private const string MultipartType = "multipart/form-data; boundary=XyZ";

    [Fact]
    public void Multipart_names_file_names_and_part_headers_are_scanned()
    {
        Assert.True(Post(Multipart("Content-Disposition: form-data; name=\"" + Sqli + "\"\r\n\r\n1"), MultipartType).Blocks());
        Assert.True(Post(Multipart("Content-Disposition: form-data; name=\"f\"; filename=\"../../../etc/passwd\"\r\nContent-Type: text/plain\r\n\r\nx"), MultipartType).Blocks());
        Assert.True(Post(Multipart("Content-Disposition: form-data; name=\"f\"; filename=\"shell.php\"\r\nContent-Type: image/png\r\n\r\nx"), MultipartType).Blocks());
        Assert.True(Post(Multipart("Content-Disposition: form-data; name=\"f\"\r\nX-Note: ${jndi:ldap://x.example/a}\r\n\r\n1"), MultipartType).Blocks());
        Assert.False(Post(Multipart("Content-Disposition: form-data; name=\"title\"\r\n\r\nquarterly report", "Content-Disposition: form-data; name=\"file\"; filename=\"report (final).pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4"), MultipartType).Blocks());
    }

    [Theory]
    [InlineData("*")]
    [InlineData("|")]
    [InlineData("&")]
    [InlineData("!")]
    [InlineData("*/*")]
    [InlineData(")")]
    [InlineData("C:\\Users\\alice\\Documents\\report-2024.docx")]
    [InlineData("notes (draft)")]
    public void Multipart_field_and_file_names_are_read_as_names_not_as_the_header_line(string name)
    {
        // Scanned as one line, the header's quotes around these read as SQL leaving a string literal.
        Assert.Empty(Post(Multipart($"Content-Disposition: form-data; name=\"{name}\"\r\n\r\n1"), MultipartType).Rules);
        Assert.Empty(Post(Multipart($"Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF-1.4"), MultipartType).Rules);
    }

    [Theory]
    [InlineData("form-data; name=\"file\"; filename=\"<?xml version=%221.0%22?><!DOCTYPE a [<!ENTITY x SYSTEM %22file:///etc/passwd%22>]>\"")]
    [InlineData("form-data; name=\"file\"; filename=\"<?xml version=%221.0%22 encoding=%22ISO-8859-1%22?>\"")]
    [InlineData("form-data; name=\"file\"; filename=\"/example.com/%2f%2e%2e\"")]
    [InlineData("form-data; name=\"file\"; filename=\"..\\\\..\\\\web.config\"")]
    [InlineData("form-data; name=\"file\"; filename=\"photo.png\"; filename*=UTF-8''..%2F..%2Fapp%2Fshell.jsp")]
    [InlineData("form-data; name=\"a\" OR 1=1--\"")]
    [InlineData("form-data; name=\"a\\\" UNION SELECT password FROM users--\"")]
    [InlineData("form-data; name=\"a\"; name=\"1' OR '1'='1\"")]
    public void Multipart_disposition_parameters_and_the_rest_of_the_line_are_scanned(string disposition) =>
        Assert.True(Post(Multipart($"Content-Disposition: {disposition}\r\nContent-Type: application/octet-stream\r\n\r\nx"), MultipartType).Blocks(), disposition);

    [Fact]
    public void An_uploaded_xml_document_is_not_xml_in_a_parameter()
    {
        var upload = Multipart("Content-Disposition: form-data; name=\"file\"; filename=\"feed.xml\"\r\nContent-Type: application/xml\r\n\r\n<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed><title>news</title></feed>");
        Assert.Empty(Post(upload, MultipartType).Rules);
        Assert.Empty(Post(Multipart("Content-Disposition: form-data; name=\"file\"; filename=\"report..final.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4"), MultipartType).Rules);
    }

    [Fact]
    public void Multipart_related_parts_need_no_content_disposition_and_sid_is_an_ordinary_parameter()
    {
        var related = Post(Multipart("Content-Type: application/json\r\n\r\n{\"name\":\"photo.jpg\"}", "Content-Type: image/jpeg\r\n\r\nJFIF"), "multipart/related; boundary=XyZ");
        Assert.Empty(related.Rules);
        Assert.Empty(Get(new HeaderDictionary { ["Host"] = "api.example.com", ["User-Agent"] = "curl/8.4.0", ["Accept"] = "*/*" }, query: "sid=AC123&sessionid=42").Rules);
    }

    [Fact]
    public void Multipart_parts_past_the_128th_are_scanned()
    {
        var parts = Enumerable.Range(0, 200).Select(i => $"Content-Disposition: form-data; name=\"f{i}\"\r\n\r\nv{i}").Append("Content-Disposition: form-data; name=\"q\"\r\n\r\n" + Sqli).ToArray();
        Assert.True(Post(Multipart(parts), MultipartType).Blocks());
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=XyZ; boundary=Other")]
    [InlineData("multipart/form-data; boundary=\"XyZ")]
    public void Multipart_boundary_tricks_are_findings(string contentType) =>
        Assert.True(Post(Multipart("Content-Disposition: form-data; name=\"a\"\r\n\r\n1"), contentType).Blocks(), contentType);

    [Fact]
    public void Multipart_charset_field_and_encoded_parts_are_findings()
    {
        Assert.Contains("multipart-charset-field", Post(Multipart("Content-Disposition: form-data; name=\"_charset_\"\r\n\r\nutf-7"), MultipartType).Rules);
        Assert.Contains("multipart-part-headers", Post(Multipart("Content-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJyBPUiAxPTEtLQ=="), MultipartType).Rules);
    }

    [Theory]
    [InlineData("TRACE", "/api/items", "protocol-method-not-allowed")]
    [InlineData("GET", "http://internal.example/admin", "protocol-absolute-form-target")]
    [InlineData("GET", "/api/items#frag", "protocol-fragment-in-target")]
    public void Request_line_is_judged(string method, string target, string rule)
    {
        var input = new InspectionInput(method, "/api/items", null, BrowserHeaders(), ReadOnlyMemory<byte>.Empty, null, false, "HTTP/1.1", target);
        Assert.Contains(rule, Run(input, 1).Rules);
    }

    [Fact]
    public void Protocol_headers_are_judged()
    {
        var headers = BrowserHeaders();
        headers["Content-Type"] = "application/json; charset=utf-7";
        Assert.Contains("protocol-invalid-charset", Get(headers).Rules);
        var range = BrowserHeaders();
        range["Range"] = "bytes=0-1,2-3,4-5,6-7,8-9,10-11,12-13";
        Assert.Contains("protocol-range-abuse", Get(range).Rules);
        var scanner = BrowserHeaders();
        scanner["User-Agent"] = "sqlmap/1.7.2#stable (https://sqlmap.org)";
        Assert.True(Get(scanner).Blocks());
        var scannerHeader = BrowserHeaders();
        scannerHeader["Acunetix-Product"] = "WVS/13";
        Assert.Contains("scanner-header", Get(scannerHeader).Rules);
    }

    [Fact]
    public void Session_id_parameter_without_a_same_site_referer_is_a_finding()
    {
        var offSite = BrowserHeaders();
        offSite["Referer"] = "https://evil.example/page";
        Assert.Contains("session-id-parameter", Get(offSite, query: "JSESSIONID=attackerchosen").Rules);
        Assert.DoesNotContain("session-id-parameter", Get(BrowserHeaders(), query: "JSESSIONID=abc").Rules);
    }

    [Fact]
    public void Paranoia_level_decides_which_rules_count()
    {
        var headers = BrowserHeaders();
        headers["Host"] = "10.0.0.5:8080";
        headers.Remove("Accept");
        Assert.Empty(Get(headers, paranoia: 1).Rules);
        var pl2 = Get(headers, paranoia: 2);
        Assert.Contains("protocol-numeric-host", pl2.Rules);
        Assert.Contains("protocol-missing-accept", pl2.Rules);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, null)]
    [InlineData(3, "restricted-chars-6")]
    [InlineData(4, "restricted-chars-6")]
    public void Meta_character_counts_count_from_their_paranoia_level(int level, string? rule)
    {
        var verdict = Get(BrowserHeaders(), query: "q=" + Uri.EscapeDataString("a;b|c(d)e<f>g"), paranoia: level);
        if (rule is null)
        {
            Assert.DoesNotContain(verdict.Rules, r => r.StartsWith("restricted-chars", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(rule, verdict.Rules);
        }
    }

    [Fact]
    public void Oversize_body_is_flagged_or_blocked_as_the_route_chooses()
    {
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"aaaa");
        var flagged = Post(body, "application/json", truncated: true);
        Assert.Contains("protocol-body-uninspected", flagged.Rules);
        Assert.False(flagged.Blocks());
        Assert.True(Post(body, "application/json", truncated: true, oversize: OversizeBodyActions.Block).Blocks());
    }

    [Fact]
    public void Exclusions_apply_to_header_and_cookie_names_and_request_rules()
    {
        var headers = BrowserHeaders();
        headers["X-Code-Sample"] = "<script>alert(1)</script>";
        var exclusions = new InspectionExclusions(new RouteInspectionOptions
        {
            Exclusions = [new ParameterExclusion { Parameter = "header:X-Code-Sample", Rules = ["xss"] }],
            DisabledRules = ["protocol-method-not-allowed"],
        });
        var input = new InspectionInput("PROPFIND", "/api/items", null, headers, ReadOnlyMemory<byte>.Empty, null, false, "HTTP/1.1", "/api/items");
        Assert.Empty(Run(input, 1, exclusions: exclusions).Rules);
    }
}
