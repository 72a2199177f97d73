using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>Each detector with attacks (including evasions) and look-alike benign values.</summary>
public sealed class DetectorTests
{
    [Theory]
    [InlineData("' OR 1=1--")]
    [InlineData("admin'--")]
    [InlineData("1 UNION SELECT username, password FROM users")]
    [InlineData("1/**/UNION/**/SELECT/**/1,2,3")]
    [InlineData("1 UnIoN sElEcT 1,2")]
    [InlineData("1'; DROP TABLE users;--")]
    [InlineData("' or 'a'='a")]
    [InlineData("1 AND SLEEP(5)")]
    [InlineData("1) or (1=1")]
    [InlineData("x' AND 1=(SELECT COUNT(*) FROM information_schema.tables)--")]
    [InlineData("1 /*!50000UNION*/ /*!50000SELECT*/ 1")]
    [InlineData("\uFF07 OR 1=1--")]
    [InlineData("' waitfor delay '0:0:5'--")]
    [InlineData("iif(3204=8489,3204,1/0)")]
    [InlineData("make_set(7729=7729,1)")]
    [InlineData("(1589=1589)*1")]
    [InlineData("64 and(1)=1#")]
    [InlineData("HOPE AND -8=-3")]
    [InlineData("HOPE AND 8=(3)")]
    [InlineData("') or ('x')=('x")]
    public void Sql_injection_is_detected(string payload) =>
        Assert.True(Inspect.Param(payload).Blocks(), payload);

    [Fact]
    public void Double_encoded_sql_injection_is_detected() =>
        Assert.True(Inspect.Query("id=1%2527%2520OR%25201%253D1--").Blocks());

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("Rock 'n' roll")]
    [InlineData("select your option from the list")]
    [InlineData("black and white")]
    [InlineData("1950 union made")]
    [InlineData("necklace 16\" or 18\"")]
    [InlineData("Apt is gated; call when you get here")]
    [InlineData("24-7-TEAM")]
    [InlineData("Jamón Ibérico")]
    [InlineData("size (10=small, 12=medium)")]
    [InlineData("f(x) = 2x + 1 and (2+2=4)")]
    [InlineData("rock and (roll)=fun")]
    [InlineData("chapters 3 and 4-5, pages 10-12")]
    [InlineData("salt and pepper (2 tsp) = flavour")]
    public void Sql_lookalikes_are_allowed(string value) =>
        Assert.False(Inspect.Param(value).Blocks(), value);

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<ScRiPt>alert(1)</sCrIpT>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<svg/onload=alert(1)>")]
    [InlineData("\"><img src=x>")]
    [InlineData("javascript:alert(1)")]
    [InlineData("jav\tascript:alert(1)")]
    [InlineData("&#106;avascript:alert(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=")]
    [InlineData("＜script＞alert(1)＜/script＞")]
    [InlineData("\" onmouseover=\"alert(1)")]
    public void Xss_is_detected(string payload) =>
        Assert.True(Inspect.Param(payload).Blocks(), payload);

    [Theory]
    [InlineData("a < b and c > d")]
    [InlineData("Tom & Jerry")]
    [InlineData("donation=5")]
    [InlineData("https://example.com/page")]
    public void Xss_lookalikes_are_allowed(string value) =>
        Assert.False(Inspect.Param(value).Blocks(), value);

    [Theory]
    [InlineData("{{7*7}}")]
    [InlineData("${T(java.lang.Runtime).getRuntime().exec('id')}")]
    [InlineData("{{config.__class__}}")]
    [InlineData("<%= 7*7 %>")]
    public void Template_injection_is_detected(string payload) =>
        Assert.True(Inspect.Param(payload).Blocks(), payload);

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("..\\..\\windows\\win.ini")]
    [InlineData("%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("%252e%252e%252fetc%252fpasswd")]
    [InlineData("..%c0%af..%c0%afetc%c0%afpasswd")]
    [InlineData("/etc/shadow")]
    [InlineData("php://filter/convert.base64-encode/resource=index.php")]
    [InlineData("file:///etc/passwd")]
    [InlineData("image.png%00.php")]
    public void Traversal_and_lfi_are_detected(string payload) =>
        Assert.True(Inspect.Query("file=" + payload).Blocks(), payload);

    [Fact]
    public void Traversal_in_the_raw_path_is_detected() =>
        Assert.True(Inspect.Path("/static/..%2f..%2f..%2fetc/passwd").Blocks());

    [Theory]
    [InlineData("docs/readme.txt")]
    [InlineData("C/ Juan Ii, 108")]
    [InlineData("environment friendly")]
    [InlineData("v1.2..3")]
    public void Path_lookalikes_are_allowed(string value) =>
        Assert.False(Inspect.Param(value).Blocks(), value);

    [Theory]
    [InlineData("; cat /etc/passwd")]
    [InlineData("| id")]
    [InlineData("&& whoami")]
    [InlineData("$(whoami)")]
    [InlineData("`id`")]
    [InlineData("a;${IFS}cat${IFS}/etc/passwd")]
    [InlineData("() { :; }; /bin/bash -c id")]
    [InlineData("<!--#exec cmd=\"ls\" -->")]
    [InlineData("x%0aid")]
    public void Command_injection_is_detected(string payload) =>
        Assert.True(Inspect.Param(payload).Blocks(), payload);

    [Theory]
    [InlineData("salt & pepper")]
    [InlineData("Echo Park")]
    [InlineData("more; less")]
    public void Command_lookalikes_are_allowed(string value) =>
        Assert.False(Inspect.Param(value).Blocks(), value);

    [Theory]
    [InlineData("q=x%0d%0aSet-Cookie:%20a=b")]
    [InlineData("q=x%0aLocation:%20http://evil")]
    [InlineData("q=x%250d%250aSet-Cookie:a=b")]
    public void Crlf_injection_is_detected(string query) =>
        Assert.True(Inspect.Query(query).Blocks(), query);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.0.0.1:8080/admin")]
    [InlineData("http://localhost/")]
    [InlineData("http://2130706433/")]
    [InlineData("gopher://internal:6379/_INFO")]
    [InlineData("http://[::1]/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    public void Ssrf_markers_are_detected(string url) =>
        Assert.True(Inspect.Query("url=" + Uri.EscapeDataString(url)).Blocks(), url);

    [Fact]
    public void Referer_is_not_judged_as_ssrf()
    {
        var headers = new HeaderDictionary { ["Referer"] = "http://localhost:3000/page" };
        Assert.False(Inspect.Headers(headers).Blocks());
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/https://evil.example")]
    public void Open_redirects_are_detected(string value) =>
        Assert.True(Inspect.Query("next=" + Uri.EscapeDataString(value)).Blocks(), value);

    [Theory]
    [InlineData("{\"username\":\"admin\",\"password\":{\"$ne\":null}}")]
    [InlineData("{\"$where\":\"this.password.length > 0\"}")]
    [InlineData("{\"user\":\"admin\",\"pw\":{\"$gt\":\"\"}}")]
    public void Nosql_operators_in_json_are_detected(string json) =>
        Assert.True(Inspect.Json(json).Blocks(), json);

    [Fact]
    public void Nosql_operator_in_bracketed_query_key_is_detected() =>
        Assert.True(Inspect.Query("user=admin&password[$ne]=x").Blocks());

    [Fact]
    public void Json_unicode_escapes_are_decoded_before_detection() =>
        Assert.True(Inspect.Json("{\"comment\":\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"}").Blocks());

    [Fact]
    public void Json_property_names_and_numbers_do_not_trigger() =>
        Assert.False(Inspect.Json("{\"select\":1,\"union\":\"members\",\"order\":{\"by\":\"date\"},\"price\":12.5}").Blocks());

    [Theory]
    [InlineData("*)(uid=*))(|(uid=*")]
    [InlineData("admin*)((|userpassword=*)")]
    public void Ldap_injection_is_detected(string payload) =>
        Assert.True(Inspect.Param(payload).Blocks(), payload);

    [Fact]
    public void Xxe_in_an_xml_body_is_detected() =>
        Assert.True(Inspect.Body("<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>", "application/xml").Blocks());

    [Fact]
    public void Injection_in_xml_text_is_detected() =>
        Assert.True(Inspect.Body("<order><note>' OR 1=1--</note></order>", "text/xml").Blocks());

    [Fact]
    public void Form_body_fields_are_inspected() =>
        Assert.True(Inspect.Body("name=bob&comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "application/x-www-form-urlencoded").Blocks());

    [Fact]
    public void Multipart_fields_and_file_names_are_inspected()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n1 UNION SELECT 1,2\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\nContent-Type: application/octet-stream\r\n\r\nxx\r\n--b--\r\n";
        var verdict = Inspect.Body(body, "multipart/form-data; boundary=b");
        Assert.Contains("sqli-union-select", verdict.Rules);
        Assert.Contains(verdict.Rules, r => r.StartsWith("traversal", StringComparison.Ordinal));
    }

    [Fact]
    public void User_agent_and_cookie_are_inspected()
    {
        Assert.True(Inspect.Headers(new HeaderDictionary { ["User-Agent"] = "() { :; }; /bin/bash -c 'cat /etc/passwd'" }).Blocks());
        Assert.True(Inspect.Headers(new HeaderDictionary { ["Cookie"] = "session=abc; pref=1%27%20OR%201%3D1--" }).Blocks());
    }

    [Fact]
    public void Accept_charset_and_latin1_spanish_forms_are_not_flagged()
    {
        var headers = new HeaderDictionary
        {
            ["Accept-Charset"] = "utf-8, utf-8;q=0.5, *;q=0.5",
            ["User-Agent"] = "Mozilla/5.0 (compatible; Konqueror/3.5; Linux) KHTML/3.5.8 (like Gecko)",
            ["Cookie"] = "JSESSIONID=81761ACA043B0E6014CA42A4BCD06AB5",
        };
        var input = new InspectionInput("GET", "/tienda1/publico/anadir.jsp", "id=3&nombre=Vino+Rioja&precio=100&cantidad=55&B1=A%F1adir+al+carrito", headers, ReadOnlyMemory<byte>.Empty, null, false);
        Assert.Empty(Inspect.Run(input).Rules);
    }

    [Theory]
    [InlineData("/tienda1/publico/index.jsp.bak")]
    [InlineData("/iisadmpwd/aexp2b.htr")]
    [InlineData("/scripts/null.ida")]
    [InlineData("/app/global.asa")]
    [InlineData("/_cti_pvt/svcacl.cnf")]
    public void Backup_source_and_server_files_in_the_path_are_flagged(string path) =>
        Assert.True(Inspect.Path(path).Blocks(), path);

    [Theory]
    [InlineData("/api/users/alice@example.com")]
    [InlineData("/schemas/order.xsd")]
    [InlineData("/WebResource.axd")]
    [InlineData("/downloads/sensor.dat")]
    public void Paths_an_api_serves_are_not_restricted_files(string path) =>
        Assert.Empty(Inspect.Path(path).Rules);

    [Fact]
    public void Parameter_exclusions_remove_findings_for_that_parameter_only()
    {
        var options = new RouteInspectionOptions { Exclusions = [new ParameterExclusion { Parameter = "query:html", Rules = ["xss"] }] };
        var exclusions = new InspectionExclusions(options);
        var input = new InspectionInput("GET", "/", "html=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false);
        Assert.False(Inspect.Run(input, exclusions).Blocks());
        var other = input with { RawQuery = "other=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E" };
        Assert.True(Inspect.Run(other, exclusions).Blocks());
    }

    [Fact]
    public void Disabled_rules_do_not_count()
    {
        var exclusions = new InspectionExclusions(new RouteInspectionOptions { DisabledRules = ["sqli"] });
        Assert.False(Inspect.Run(new InspectionInput("GET", "/", "q=1%20UNION%20SELECT%201", new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false), exclusions).Blocks());
    }

    [Fact]
    public void Findings_carry_rule_ids_categories_and_a_summed_score()
    {
        var v = Inspect.Param("' UNION SELECT 1,2-- <script>alert(1)</script>");
        Assert.Contains("sqli", v.Categories);
        Assert.Contains("xss", v.Categories);
        Assert.True(v.Score >= 10);
        Assert.Equal(v.Rules.Length, v.Rules.Distinct().Count());
    }
}
