using Analytics.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's eighth pass, protocol attacks carried in values (921): a request line smuggled in a
/// parameter, a header name split from its colon by line breaks, a line break in the path, and a
/// second media type hidden in a Content-Type parameter; with the look-alikes real APIs carry.
/// </summary>
public sealed class CrsGapProtocolTests
{
    [Theory]
    [InlineData("GET /admin HTTP/1.1")]
    [InlineData("x\nPOST /api/transfer HTTP/1.0")]
    [InlineData("a\r\nDELETE /users/1 HTTP/1.1\r\nHost: internal")]
    [InlineData("HEAD http://intranet.local/ HTTP/1.1")]
    [InlineData("  put /v1/keys http/1.1")]
    [InlineData("OPTIONS * HTTP/2")]
    public void Request_line_in_a_value_is_found_in_every_place(string payload)
    {
        Inspect.AssertBlockedIn(payload, "protocol-request-line-in-value", "query-value", "query-name", "header", "cookie-value", "json-value", "form-value");
    }

    [Theory]
    [InlineData("Send a GET / HTTP/1.1 request to check the health endpoint")]
    [InlineData("The client uses HTTP/1.1 and GET requests only")]
    [InlineData("https://example.com/docs/http/1.1/get")]
    [InlineData("Get well soon! Call me at 555-0100, HTTP/2 works")]
    [InlineData("User-Agent: curl/8.4.0 HTTP/2")]
    [InlineData("GET and POST are allowed; see RFC 9110 HTTP/1.1 semantics")]
    public void Request_line_lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        var json = Inspect.Json("{\"note\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}");
        Assert.False(json.Blocks(), $"json {value}: {json.Score} ({string.Join(", ", json.Rules)})");
    }

    [Theory]
    [InlineData("/files/a%0Ab")]
    [InlineData("/index.php/x%0d%0asession.auto_start=1")]
    [InlineData("/report%0D.pdf")]
    [InlineData("/api/v1/%250aitems")]
    public void Line_break_in_the_path_blocks(string path)
    {
        var verdict = Inspect.Path(path);
        Assert.True(verdict.Rules.Contains("protocol-line-break-in-path") && verdict.Blocks(), $"{path}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("/files/report%20Q3.pdf")]
    [InlineData("/api/v1/items/%E2%9C%93")]
    [InlineData("/users/o%27brien/orders")]
    [InlineData("/notes/line%20one%0Aline%20two")]
    [InlineData("/import/id,name%0A1,Widget")]
    public void Ordinary_encoded_path_is_allowed(string path) => Assert.False(Inspect.Path(path).Blocks());

    [Fact]
    public void Header_name_split_from_its_colon_by_line_breaks_is_found()
    {
        var verdict = Inspect.Query("a=1&%0d%0aX-Forwarded-Host%0d%0d:%20evil.example");
        Assert.Contains("crlf-header-injection", verdict.Rules);
        Assert.True(verdict.Blocks());
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded;boundary=\"application/json\"")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8; x=text/xml")]
    [InlineData("text/plain;boundary=application/soap+xml")]
    [InlineData("application/json; format=\"application/x-www-form-urlencoded\"")]
    public void Media_type_hidden_in_a_content_type_parameter_is_found(string contentType)
    {
        var verdict = WithContentType(contentType);
        Assert.True(verdict.Rules.Contains("protocol-invalid-content-type") && verdict.Blocks(), $"{contentType}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW")]
    [InlineData("multipart/related; type=\"application/xop+xml\"; start-info=\"application/soap+xml\"; boundary=uuid:0ca0e16e")]
    [InlineData("application/ld+json; profile=\"http://www.w3.org/ns/json-ld#compacted\"")]
    [InlineData("application/vnd.api+json; ext=\"https://jsonapi.org/ext/atomic\"")]
    [InlineData("application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"")]
    [InlineData("text/plain; format=flowed; delsp=yes")]
    public void Ordinary_content_type_is_allowed(string contentType) => Assert.DoesNotContain("protocol-invalid-content-type", WithContentType(contentType).Rules);

    private static InspectionVerdict WithContentType(string contentType) =>
        Inspect.Run(new InspectionInput("POST", "/api", null, new HeaderDictionary { ["Content-Type"] = contentType }, "a=1"u8.ToArray(), contentType, false));
}
