using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's eighth pass, XSS (941): tag names hidden behind a namespace prefix or split into
/// spaced letters, script run through CSS url() (script schemes, XBL and HTC bindings), and tags
/// written in UTF-7; each in several places, with the look-alikes real APIs carry.
/// </summary>
public sealed class CrsGapXssTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        { "<v:vmlframe src=\"//evil.example/x.fml\"/>", "xss-active-tag" },
        { "<:vmlframe src=", "xss-active-tag" },
        { "<x:script>go()</x:script>", "xss-script-tag" },
        { "< svg: script", "xss-script-tag" },
        { "<v:imagedata src=x>", "xss-active-tag" },
        { "name$<f o r m action=//evil.example>", "xss-active-tag" },
        { "<s c r i p t", "xss-script-tag" },
        { "x<i f r a m e src=//a", "xss-active-tag" },
        { "<d\ti\ta\tl\to\tg open", "xss-active-tag" },
        { "color:red;background:url(javascript", "xss-css-script-url" },
        { "x=y:URL( 'vbscript:msgbox(1)')", "xss-css-script-url" },
        { "-moz-binding:url(//evil.example/xss.xml#x)", "xss-css-script-url" },
        { "width:1px; behavior: url(/uploads/x.htc)", "xss-css-script-url" },
        { "+ADw-script+AD4-go()+ADw-/script+AD4-", "xss-utf7-markup" },
        { "x +ADw-img src=x onerror=go()+AD4-", "xss-utf7-markup" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_found_in_every_place(string payload, string rule)
    {
        Inspect.AssertBlockedIn(payload, rule, "query-value", "query-name", "header", "cookie-value", "json-value", "json-key");
    }

    [Theory]
    // Namespaced XML that real values quote, and prose with '<' before a colon.
    [InlineData("<soap:Envelope><soap:Body><m:GetPrice/></soap:Body></soap:Envelope>")]
    [InlineData("<wsdl:input message=\"tns:Req\"/>")]
    [InlineData("<xs:element name=\"body\" type=\"xs:string\"/>")]
    [InlineData("<v:shape style=\"width:10pt\"/>")]
    [InlineData("score<5: script failed, retry")]
    [InlineData("see <https://example.com/docs>")]
    // Spaced letters that spell no active tag, and comparisons.
    [InlineData("if a <b c d then swap")]
    [InlineData("x < y and y < z")]
    [InlineData("grades: <a b c> are passing")]
    // CSS that real themes carry.
    [InlineData("background: url(/img/javascript-logo.svg) no-repeat")]
    [InlineData("background:url('javascript.png')")]
    [InlineData("-moz-binding: none; behavior: smooth")]
    [InlineData("scroll-behavior: smooth; background:url(data-grid.png)")]
    // Text with plus signs and dashes: phone numbers, dates, base64, math.
    [InlineData("+1-555-0100")]
    [InlineData("a+ADw-b")]
    [InlineData("x+ADw-y-z")]
    [InlineData("QUJD+ADwtZGVm/+AD4-")]
    [InlineData("C++ -O2 +A-B")]
    public void Lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        var json = Inspect.Json("{\"note\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}");
        Assert.False(json.Blocks(), $"json {value}: {json.Score} ({string.Join(", ", json.Rules)})");
    }
}
