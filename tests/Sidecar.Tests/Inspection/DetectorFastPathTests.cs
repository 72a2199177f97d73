using System.Buffers;
using Analytics.Inspection;
using Analytics.Inspection.Detectors;
using Analytics.Sidecar.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// The detectors' fast paths (a character set per value, word-level SQL gate, the needle
/// matcher) skip work, never findings: values of plain letters and harmless punctuation that
/// still carry an attack are detected, and the needle matcher agrees with SearchValues.
/// </summary>
public sealed class DetectorFastPathTests
{
    [Theory]
    [InlineData("1 union select password from users", "sqli-union-select")]
    [InlineData("drop table users", "sqli-select-from")]
    [InlineData("select name, password from users", "sqli-select-from")]
    [InlineData("1 order by 5", "sqli-order-by-number")]
    [InlineData("x or 1 like 1", "sqli-tautology")]
    [InlineData("waitfor delay 5", "sqli-dangerous-function")]
    [InlineData("https://example.com/?a=1 union select 2", "sqli-union-select")]
    [InlineData("whoami", "cmdi-chained-command")]
    [InlineData("WhoAmI.exe", "cmdi-chained-command")]
    [InlineData("cmd.exe /c dir", "cmdi-chained-command")]
    [InlineData("ping -c 3 example.com", "cmdi-chained-command")]
    [InlineData("localhost", "ssrf-internal-address")]
    [InlineData("id_rsa.pub", "lfi-sensitive-file")]
    public void Plain_values_with_an_attack_are_still_detected(string value, string rule) =>
        Assert.Contains(rule, Inspect.Param(value).Rules);

    [Theory]
    [InlineData("door and window")]
    [InlineData("reset the order")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015")]
    [InlineData("https://shop.example.com/catalog?page=2")]
    [InlineData("2024-01-31")]
    public void Plain_values_without_an_attack_have_no_sql_finding(string value) =>
        Assert.DoesNotContain(Inspect.Param(value).Rules, r => r.StartsWith("sqli-", StringComparison.Ordinal));

    [Theory]
    [InlineData("""[{"q":"1 union select 1"},{"q":"1 union select 1"}]""", "sqli-union-select")]
    [InlineData("""[{"a":"x"},{"a":"x"},{"a":"<script>alert(1)</script>"}]""", "xss-script-tag")]
    [InlineData("""[{"a":"x"},{"b":"x"},{"$where":"x"}]""", "nosql-operator")]
    [InlineData("""[{"$where":"x"},{"$where":"y"}]""", "nosql-operator")]
    public void Repeated_json_values_do_not_hide_findings(string json, string rule) =>
        Assert.Contains(rule, Inspect.Json(json).Rules);

    [Fact]
    public void A_repeated_json_value_is_reported_at_its_first_location()
    {
        var findings = new FindingSet();
        findings.Reset(null);
        var input = new InspectionInput("POST", "/api", null, new HeaderDictionary(),
            System.Text.Encoding.UTF8.GetBytes("""{"a":"x","b":"../../etc/passwd","c":{"b":"../../etc/passwd"}}"""), "application/json", false);
        new InspectionEngine(new InspectionOptions { ModelPath = null }, model: null).Inspect(input, findings, useModel: false);
        for (var i = 0; i < findings.Count; i++)
        {
            Assert.Equal(new ValueLocation(LocationKind.BodyValue, "b"), findings.LocationAt(i));
        }

        Assert.True(findings.Count > 0);
    }

    [Fact]
    public void A_cached_header_value_yields_the_same_findings_again()
    {
        var headers = new HeaderDictionary { ["User-Agent"] = "() { :; }; /bin/bash -c 'cat /etc/passwd' #cache-test" };
        var first = Inspect.Headers(headers);
        var second = Inspect.Headers(headers);
        Assert.NotEmpty(first.Rules);
        Assert.Equal(first.Rules, second.Rules);
        Assert.Equal(first.Score, second.Score);
    }

    [Fact]
    public void The_header_cache_tells_headers_apart()
    {
        // SSRF rules do not apply to Referer, which is a URL by definition.
        const string Value = "http://127.0.0.1/admin?cache-test";
        Assert.DoesNotContain("ssrf-internal-address", Inspect.Headers(new HeaderDictionary { ["Referer"] = Value }).Rules);
        Assert.Contains("ssrf-internal-address", Inspect.Headers(new HeaderDictionary { ["User-Agent"] = Value }).Rules);
    }

    [Fact]
    public void Value_chars_reports_exactly_the_characters_present()
    {
        var chars = ValueChars.Of("a<b\u00e9");
        Assert.True(chars.Has('<'));
        Assert.True(chars.Has('a'));
        Assert.False(chars.Has('>'));
        Assert.False(chars.Has('\u00e9'));
        Assert.True(chars.HasNonAscii);
        Assert.False(chars.OnlyFrom(ValueChars.Of("ab<")));
        Assert.True(ValueChars.Of("ba").OnlyFrom(ValueChars.Of("ab<")));
    }

    [Fact]
    public void Needle_set_agrees_with_search_values()
    {
        string[] needles = ["etc/passwd", "win.ini", "/.env", "id_rsa", "*)(", "<?=", "fd:", "javascript:", "$_get["];
        var set = new NeedleSet(needles);
        var reference = SearchValues.Create(needles, StringComparison.OrdinalIgnoreCase);
        var alphabet = "etcpaswdPASWD/.:*)(<?=$_[gjvrinFDxE\u00e9\u212a ";
        var random = new Random(7);
        for (var n = 0; n < 20000; n++)
        {
            var length = random.Next(0, 24);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            // Plant a needle, in random case, in half of the values.
            var value = new string(chars);
            if (n % 2 == 0)
            {
                var needle = needles[random.Next(needles.Length)];
                var planted = random.Next(2) == 0 ? needle.ToUpperInvariant() : needle;
                value = value.Insert(random.Next(value.Length + 1), planted[..random.Next(planted.Length - 1, planted.Length + 1)]);
            }

            Assert.True(set.IsIn(value) == (value.AsSpan().IndexOfAny(reference) >= 0), value);
        }
    }
}
