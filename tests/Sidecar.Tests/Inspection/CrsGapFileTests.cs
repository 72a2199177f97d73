using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's eighth pass, restricted files and RFI (930/931): procfs entries that describe the host,
/// and a bare off-site host cut off with '?', with the look-alikes real APIs carry.
/// </summary>
public sealed class CrsGapFileTests
{
    [Theory]
    [InlineData("/proc/interrupts")]
    [InlineData("../../../../proc/cpuinfo")]
    [InlineData("file=/proc/net/tcp")]
    [InlineData("/proc/sched_debug")]
    public void Procfs_entry_blocks(string payload)
    {
        Assert.True(Inspect.Param(payload).Blocks());
        Assert.True(Inspect.Path("/download/" + Uri.EscapeDataString(payload).Replace("%2F", "/", StringComparison.Ordinal)).Blocks(), payload);
        Assert.True(Inspect.Headers(new HeaderDictionary { ["X-File"] = payload }).Blocks(), payload);
    }

    [Theory]
    [InlineData("https://evil.example?")]
    [InlineData("ftp://198.51.100.7?")]
    [InlineData("http://attacker.example??")]
    [InlineData("http://evil.example/shell.txt?")]
    [InlineData("x=http://evil.example/c99.txt?")]
    [InlineData("'http://198.51.100.7/a/b?")]
    [InlineData("http://evil.example/shell.php?")]
    public void Bare_host_cut_off_with_a_question_mark_blocks(string payload)
    {
        var verdict = Inspect.Param(payload);
        Assert.True(verdict.Rules.Contains("rfi-trailing-question-mark") && verdict.Blocks(), $"{payload}: {verdict.Score}");
    }

    [Theory]
    [InlineData("Have you tried https://example.com?")]
    [InlineData("https://example.com")]
    [InlineData("https://example.com/search?q=proc")]
    [InlineData("The process list (proc) is empty")]
    [InlineData("/api/procurement/interrupts")]
    [InlineData("Is it https://status.example.com? or the other one")]
    [InlineData("Is this https://example.com/faq?")]
    [InlineData("Did you read https://docs.example.com/guide/setup.html?")]
    [InlineData("Which one: https://a.example/x.php or https://b.example/y.php?")]
    [InlineData("Did you see https://b.example/y.php?")]
    public void Lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }
}
