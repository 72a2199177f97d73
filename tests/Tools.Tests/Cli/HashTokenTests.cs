using System.Security.Cryptography;
using System.Text;

namespace Analytics.Tools.Tests.Cli;

/// <summary><c>analytics admin hash-token</c> prints what <c>Credentials:&lt;name&gt;:TokenSha256</c> takes.</summary>
public sealed class HashTokenTests
{
    [Fact]
    public async Task Hashes_the_token_from_the_environment_and_never_prints_it()
    {
        const string token = "a-token-for-the-dashboards-0123";
        var run = await CliRun.RunAsync(token, "admin", "hash-token");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("TokenSha256: " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), run.Out.Trim());
        Assert.DoesNotContain(token, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_generates_one_and_prints_it_with_its_hash()
    {
        var run = await CliRun.RunAsync(null, "admin", "hash-token");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var token = lines[0]["token:".Length..].Trim();
        Assert.Equal(48, token.Length);
        Assert.Equal("TokenSha256: " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), lines[1]);
    }
}
