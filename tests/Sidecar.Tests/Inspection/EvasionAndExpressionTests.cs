using Analytics.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's seventh pass: evasions that hid a payload from the detectors (a NUL inside a keyword, tabs
/// between shell words), computed property calls in script and SQL CASE expressions; each attack in every
/// place, with the look-alikes real APIs carry.
/// </summary>
public sealed class EvasionAndExpressionTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        // A NUL inside a keyword: layers that drop NULs read the keyword, so the detectors do too.
        { "1 un\0ion all select null,null--", "sqli-union-select" },
        { "1;se\0lect * from users", "sqli-select-from" },
        { "1';wa\0itfor delay '0:0:5'--", "sqli-dangerous-function" },
        // Tabs split shell words as spaces do.
        { "which\tperl", "cmdi-chained-command" },
        { "sleep\t5", "cmdi-chained-command" },
        { "net\tlocalgroup\tAdministrators\thacker\t/ADD", "rce-windows-command" },
        { "dir\tC:\\", "rce-windows-command" },
        // A file parameter the application base64-decodes: the decoded text is read like any value.
        { "L2V0Yy9wYXNzd2Q=", "lfi-sensitive-file" },
        { "L3Byb2Mvc2VsZi9lbnZpcm9u", "lfi-sensitive-file" },
        { "QzpcV2luZG93c1x3aW4uaW5p", "lfi-sensitive-file" },
        { "ZmlsZTovLy9ldGMvc2hhZG93", "lfi-sensitive-file" },
        // Computed property calls on a global object.
        { "top[\"al\"+\"ert\"](1)", "xss-computed-call" },
        { "window['ev'+'al']('1')", "xss-computed-call" },
        { "parent['con' + 'firm']`1`", "xss-computed-call" },
        { "self[atob('YWxlcnQ=')](1)", "xss-computed-call" },
        { "globalThis[String.fromCharCode(97,108,101,114,116)](1)", "xss-computed-call" },
        // CASE expressions that decide on constants or sit inside an expression.
        { "(case when 6398=6398 then 1 else null end)", "sqli-case-expression" },
        { "1,(case when 5514=9602 then 1 else null end)", "sqli-case-expression" },
        { "case 1 when 2 then 2 end", "sqli-case-expression" },
        { "case when 's' then 3 end", "sqli-case-expression" },
        { "1 rlike (case when (7689=7689) then 1 else 0x28 end)", "sqli-case-expression" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_found_as_a_query_value(string payload, string rule)
    {
        var verdict = Inspect.Param(payload);
        Assert.Contains(rule, verdict.Rules);
        Assert.True(verdict.Blocks(), $"{payload}: {verdict.Score}");
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_found_in_every_place(string payload, string rule)
    {
        Inspect.AssertBlockedIn(payload, rule, "query-name", "header", "cookie-value", "json-key", "json-value");
    }

    [Theory]
    // Script that computes a name from a variable, or joins literals on an object that is not a global.
    [InlineData("window[callbackName](data)")]
    [InlineData("window['on' + type](event)")]
    [InlineData("const handler = this['handle' + 'Click']; handler(e)")]
    [InlineData("items['a'+'b'] = top[0]")]
    [InlineData("self['caches']")]
    [InlineData("The window [left] opens (see figure 2)")]
    // Prose and SQL that use CASE the way people and reports do.
    [InlineData("In case when it rains then stay home, end of story")]
    [InlineData("Just in case: when it costs 5 then buy it, end")]
    [InlineData("Use case: when the order ships then notify, end")]
    [InlineData("In this case, when the user clicks Save then the form is submitted, and the dialog ends.")]
    [InlineData("case when price > 100 then 'high' end")]
    [InlineData("case when done then close end")]
    // Base64 that API values carry: JSON, text, a URL, credentials, and values that only look like base64.
    [InlineData("eyJwYXRoIjoiL2hvbWUvYWxpY2UvcmVwb3J0LnBkZiJ9")]
    [InlineData("aHR0cHM6Ly9leGFtcGxlLmNvbS90bXAvZmlsZQ==")]
    [InlineData("dXNlcjpwYXNzd29yZA==")]
    [InlineData("SGVsbG8gd29ybGQsIHRoaXMgaXMgYmFzZTY0IHRleHQ")]
    [InlineData("5d41402abc4b2a76b9719d911017c592")]
    [InlineData("passwordResetToken")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl")]
    // Tab-separated text.
    [InlineData("name\tage\tcity")]
    [InlineData("which\tcolour\tdo you like")]
    [InlineData("sleep\tquality\t8")]
    public void Lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        var json = Inspect.Json("{\"note\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}");
        Assert.False(json.Blocks(), $"json {value}: {json.Score} ({string.Join(", ", json.Rules)})");
    }

    [Fact]
    public void Nul_after_an_ldap_filter_is_still_read_with_the_nul() =>
        Assert.Contains("ldap-filter-injection", Inspect.Param("*))\0").Rules);
}
