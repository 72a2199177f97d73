using System.Text;
using Analytics.Inspection;
using Analytics.Tools.Inspect;

namespace Analytics.Tools.Tests.Inspect;

/// <summary>
/// The LDAP family as docs/inspection.md defines it: a value that can alter a filter (a parenthesis
/// with an operator, <c>*)(</c>, <c>)(|</c>, a NUL after a closing parenthesis) is blocked in every
/// place and every spelling a client or a directory layer decodes (URL-encoded once or twice, RFC 4515
/// escapes <c>\28 \29 \2a \00</c> in either case, URL-encoded escapes); a bare value (an attribute name,
/// a wildcard, a single character) is a value and gets no LDAP finding anywhere. Rules alone.
/// </summary>
public sealed class LdapFamilyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ldap-family-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>The filter-syntax payloads of PayloadsAllTheThings' LDAP lists and OWASP's testing guide.</summary>
    private static readonly string[] FilterSyntax =
    [
        "*)(uid=*))(|(uid=*", "*(|(mail=*))", "*(|(objectclass=*))", "*)(&", "*))\0", ")(cn=))\0", "*()|&'",
        "admin*)((|userPassword=*)", "*)(|(objectClass=*)", "admin)(!(&(1=0", "jdoe)(|(password=*)", "*)(memberOf=cn=admins*)",
    ];

    private static readonly string[] BareValues =
        ["*", "cn", "admin", "admin*", "(", ")", "|", "&", "!", "*|", "@*", "//*", "*/*", "mail", "objectClass", "userPassword", "givenName", "x"];

    private static string UrlEncoded(string s) => Uri.EscapeDataString(s);

    private static string LdapEscaped(string s, bool upper)
    {
        var text = new StringBuilder();
        foreach (var c in s)
        {
            var code = c switch { '(' => "28", ')' => "29", '*' => "2a", '\0' => "00", '|' => "7c", '&' => "26", '!' => "21", '=' => "3d", _ => null };
            text.Append(code is null ? c.ToString() : "\\" + (upper ? code.ToUpperInvariant() : code));
        }

        return text.ToString();
    }

    private static IEnumerable<(string Form, string Payload)> Spellings(string payload)
    {
        yield return ("raw", payload);
        yield return ("url", UrlEncoded(payload));
        yield return ("url twice", UrlEncoded(UrlEncoded(payload)));
        yield return ("ldap escapes", LdapEscaped(payload, upper: false));
        yield return ("LDAP ESCAPES", LdapEscaped(payload, upper: true));
        yield return ("url of ldap escapes", UrlEncoded(LdapEscaped(payload, upper: false)));
    }

    [Fact]
    public void Filter_syntax_in_every_spelling_and_place_is_blocked_and_bare_values_get_no_ldap_finding()
    {
        var attacks = FilterSyntax.SelectMany(p => Spellings(p).Select(s => (Payload: p, s.Form, Spelled: s.Payload))).ToList();
        CorpusFiles.Write(Path.Combine(_dir.FullName, "payloads_ldap.jsonl.gz"), "ldap",
            [.. attacks.Select(a => ("attack", (string?)"ldap-injection", a.Spelled)), .. BareValues.Select(v => ("benign", (string?)null, v))]);
        var output = new FileInfo(Path.Combine(_dir.FullName, "dev.jsonl.gz"));
        Assert.Equal(0, PlacementGenerator.Run(_dir, output, seed: 13, perClass: 1000, benignCount: 1000));

        var forms = attacks.ToDictionary(a => a.Spelled, a => $"{a.Form} of {a.Payload}");
        var engine = new InspectionEngine(new InspectionOptions { ModelPath = null }, model: null);
        var missed = new List<string>();
        var flagged = new List<string>();
        var judged = 0;
        foreach (var record in ReplayRecord.Read(output.FullName).Where(r => r.Source == "placement-corpora"))
        {
            var findings = new FindingSet();
            findings.Reset(null);
            var verdict = engine.Inspect(record.ToInput(InspectionDefaults.MaxBodyBytes), findings, useModel: false);
            judged++;
            if (record.IsAttack && verdict.Score < InspectionDefaults.Threshold)
            {
                missed.Add($"{forms[record.Payload!]} @ {record.Location}: {string.Join(',', verdict.Rules)}");
            }
            else if (!record.IsAttack && verdict.Rules.Any(r => r.StartsWith("ldap-", StringComparison.Ordinal)))
            {
                flagged.Add($"{record.Payload} @ {record.Location}: {string.Join(',', verdict.Rules)}");
            }
        }

        Assert.Equal((attacks.Count + BareValues.Length) * PlacementGenerator.Places.Length, judged);
        Assert.True(missed.Count == 0, $"{missed.Count} filter-syntax placements missed:\n" + string.Join('\n', missed.Take(40)));
        Assert.True(flagged.Count == 0, $"{flagged.Count} bare values with an LDAP finding:\n" + string.Join('\n', flagged.Take(40)));
    }

    [Theory]
    [InlineData(@"C:\2a\temp\28x\29.txt")]
    [InlineData(@"price \28net\29 * 2 = total")]
    [InlineData(@"\2a")]
    public void Escapes_without_filter_structure_are_not_ldap_injection(string value)
    {
        var engine = new InspectionEngine(new InspectionOptions { ModelPath = null }, model: null);
        var findings = new FindingSet();
        findings.Reset(null);
        var input = new InspectionInput("GET", "/api/items", "q=" + Uri.EscapeDataString(value), new Microsoft.AspNetCore.Http.HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false);
        var verdict = engine.Inspect(input, findings, useModel: false);
        Assert.DoesNotContain("ldap-filter-injection", verdict.Rules);
    }
}
